"tradebook.backtest reproduces backtesting.py's README strategy trade for trade and to the cent."
import warnings
import numpy as np
import pandas as pd
import pytest

bt = pytest.importorskip('backtesting')
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from backtesting.test import GOOG, SMA
from tradebook.accounting import CostModel
from tradebook.backtest import backtest, crossover_signal

def sma(x, n):
    try:
        from tradebook.indicators import sma as tb_sma
        return tb_sma(x, timeperiod=n)
    except ImportError:                       # the indicator module is not merged yet
        return x.rolling(n).mean()

class SmaCross(Strategy):                     # backtesting.py's README strategy, verbatim
    n1, n2 = 10, 20
    def init(self):
        price = self.data.Close
        self.ma1 = self.I(SMA, price, self.n1)
        self.ma2 = self.I(SMA, price, self.n2)
    def next(self):
        if crossover(self.ma1, self.ma2):
            self.position.close(); self.buy()
        elif crossover(self.ma2, self.ma1):
            self.position.close(); self.sell()

def run_both(data, n1=10, n2=20, commission=0.002, cash=10_000):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ref = Backtest(data, SmaCross, cash=cash, commission=commission, exclusive_orders=True).run(n1=n1, n2=n2)
    sig = crossover_signal(sma(data.Close, n1), sma(data.Close, n2))
    # backtesting.py's buy()/sell() default size is 1 − ε of available margin, in whole shares, fees included
    ours = backtest(data, sig, size='percent', size_value=1 - np.finfo(float).eps, cash=cash,
                    costs=CostModel(commission=commission, whole_units=True))
    return ref, ours

def compare(ref, ours):
    theirs = ref._trades.reset_index(drop=True)
    mine = ours.trades[ours.trades['exit_reason'] != 'open'].reset_index(drop=True)
    assert len(mine) == len(theirs) == ref['# Trades']
    np.testing.assert_array_equal(mine['direction'] * mine['size'], theirs['Size'])
    np.testing.assert_array_equal(mine['entry_bar'], theirs['EntryBar'])
    np.testing.assert_array_equal(mine['exit_bar'], theirs['ExitBar'])
    np.testing.assert_allclose(mine['entry_price'], theirs['EntryPrice'], rtol=0, atol=1e-9)
    np.testing.assert_allclose(mine['exit_price'], theirs['ExitPrice'], rtol=0, atol=1e-9)
    np.testing.assert_allclose(mine['pnl'], theirs['PnL'], rtol=0, atol=1e-6)
    np.testing.assert_allclose(mine['commission'], theirs['Commission'], rtol=0, atol=1e-6)
    np.testing.assert_allclose(mine['return_pct'], theirs['ReturnPct'], rtol=1e-9, atol=1e-12)
    assert list(mine['entry_time']) == list(theirs['EntryTime'])
    # the equity curve, bar by bar, and the final equity to the cent
    np.testing.assert_allclose(ours.equity.to_numpy(), ref._equity_curve['Equity'].to_numpy(), rtol=0, atol=1e-6)
    assert round(ours.metrics['final_equity'], 2) == round(ref['Equity Final [$]'], 2)
    # the last trade is left open, as backtesting.py leaves it
    assert ours.metrics['open_trades'] == 1
    assert ours.metrics['max_drawdown'] * 100 == pytest.approx(ref['Max. Drawdown [%]'], rel=1e-9)
    assert ours.metrics['win_rate'] * 100 == pytest.approx(ref['Win Rate [%]'], rel=1e-12)

def test_readme_strategy_trade_for_trade():
    ref, ours = run_both(GOOG)
    compare(ref, ours)
    assert round(ours.metrics['final_equity'], 2) == 56263.52      # backtesting.py 0.6.6's figure
    assert len(ours.trades) == 94

@pytest.mark.parametrize('n1,n2,commission,cash', [(5, 30, 0.001, 25_000), (20, 50, 0.0, 10_000), (3, 8, 0.005, 100_000)])
def test_other_parameters_also_match(n1, n2, commission, cash):
    ref, ours = run_both(GOOG, n1, n2, commission, cash)
    compare(ref, ours)
