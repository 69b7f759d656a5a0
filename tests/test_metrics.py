"tradebook.metrics against independent (brute-force or library) formulas."
import math
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats
from tradebook.metrics import (max_drawdown, max_drawdown_duration, sharpe_ratio, sortino_ratio, annualized_return,
                               probabilistic_sharpe_ratio, deflated_sharpe_ratio, expected_max_sharpe, bootstrap_ci,
                               compute_metrics, trade_stats, infer_periods_per_year, volatility)

equities = arrays(np.float64, st.integers(2, 60), elements=st.floats(1, 1000))

def brute_mdd(e):
    return min(min(e[j] / max(e[:j + 1]) - 1 for j in range(len(e))), 0.0)

def brute_duration(e):
    "Longest bars from a peak to the bar regaining it (or to the end)"
    best, n = 0, len(e)
    for i in range(n):
        if e[i] < max(e[:i + 1]): continue          # i must be a running peak
        j = i + 1
        while j < n and e[j] < e[i]: j += 1
        if j > i + 1: best = max(best, (j if j < n else n - 1) - i)
    return best

@settings(max_examples=200, deadline=None)
@given(equities)
def test_drawdown_matches_brute_force(e):
    assert max_drawdown(e) == pytest.approx(brute_mdd(e), abs=1e-12)
    assert max_drawdown_duration(e) == brute_duration(e)

@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(3, 100), elements=st.floats(-0.1, 0.1)))
def test_sharpe_sortino_match_pandas(r):
    s = pd.Series(r)
    sd = s.std()
    if sd > 1e-12:
        assert sharpe_ratio(r, 252) == pytest.approx(s.mean() / sd * math.sqrt(252), rel=1e-9)
        assert volatility(r, 12) == pytest.approx(sd * math.sqrt(12), rel=1e-9)
    down = math.sqrt((s.clip(upper=0) ** 2).mean())
    if down > 0: assert sortino_ratio(r, 52) == pytest.approx(s.mean() / down * math.sqrt(52), rel=1e-9)

def test_hand_computed_series():
    eq = np.array([100.0, 105.0, 102.9, 108.045])          # +5%, −2%, +5%
    assert annualized_return(eq, 3) == pytest.approx(0.08045)
    r = np.array([0.05, -0.02, 0.05])
    mean, sd = 0.08 / 3, math.sqrt(((0.05 - 0.08 / 3) ** 2 * 2 + (-0.02 - 0.08 / 3) ** 2) / 2)
    assert sharpe_ratio(r, 1) == pytest.approx(mean / sd)
    m = compute_metrics(eq, periods_per_year=3, trade_pnl=[5, -2.1, 5.145])
    assert m['max_drawdown'] == pytest.approx(-0.02)
    assert m['profit_factor'] == pytest.approx(10.145 / 2.1)
    assert m['win_rate'] == pytest.approx(2 / 3)
    assert m['calmar'] == pytest.approx(0.08045 / 0.02)

def test_psr_and_dsr_against_the_paper_formulas():
    rng = np.random.default_rng(11)
    r = stats.t.rvs(4, size=750, random_state=rng) * 0.01 + 0.0006
    n, sr = len(r), r.mean() / r.std(ddof=1)
    g3, g4 = stats.skew(r), stats.kurtosis(r, fisher=False)
    z = (sr - 0.01) * math.sqrt(n - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr ** 2)
    assert probabilistic_sharpe_ratio(r, 0.01) == pytest.approx(stats.norm.cdf(z), rel=1e-10)
    trials = rng.normal(0.0, 0.02, 50)
    emc = 0.5772156649015329
    sr0 = trials.std(ddof=1) * ((1 - emc) * stats.norm.ppf(1 - 1 / 50) + emc * stats.norm.ppf(1 - 1 / (50 * math.e)))
    assert expected_max_sharpe(trials) == pytest.approx(sr0)
    assert deflated_sharpe_ratio(r, trials) == pytest.approx(probabilistic_sharpe_ratio(r, sr0))
    # more trials, higher bar, lower DSR
    assert deflated_sharpe_ratio(r, rng.normal(0, 0.02, 1000)) < deflated_sharpe_ratio(r, trials)

def test_bootstrap_is_seeded_and_covers_the_truth():
    rng = np.random.default_rng(0)
    hits = 0
    for k in range(40):
        r = rng.normal(0.001, 0.01, 300)
        lo, hi = bootstrap_ci(r, np.mean, n_boot=400, seed=k)
        hits += lo <= 0.001 <= hi
    assert 34 <= hits <= 40                                 # ~95% coverage
    r = rng.normal(0, 1, 100)
    assert bootstrap_ci(r, np.median, seed=5, block=5) == bootstrap_ci(r, np.median, seed=5, block=5)
    assert bootstrap_ci(r, np.median, seed=5) != bootstrap_ci(r, np.median, seed=6)

def test_trade_stats_and_ppy_and_errors():
    assert trade_stats([])['trades'] == 0
    assert trade_stats([1.0, 2.0])['profit_factor'] == math.inf
    idx = pd.bdate_range('2015-01-01', '2019-12-31')
    assert infer_periods_per_year(idx) == 252.0
    with pytest.raises(ValueError, match='equity holds NaN'):
        compute_metrics(np.array([1.0, np.nan, 2.0]), periods_per_year=252)
    with pytest.raises(ValueError, match='periods_per_year must be > 0'):
        compute_metrics(np.array([1.0, 2.0]), periods_per_year=0)

@pytest.mark.filterwarnings("ignore::UserWarning")
def test_metrics_agree_with_backtestingpy_on_its_own_equity_curve():
    pytest.importorskip('backtesting')
    from backtesting import Backtest, Strategy
    from backtesting.test import GOOG
    class BuyHold(Strategy):
        def init(self): pass
        def next(self):
            if not self.position: self.buy()
    s = Backtest(GOOG, BuyHold, commission=0.002).run()
    eq = s._equity_curve['Equity']
    m = compute_metrics(eq, periods_per_year=252)
    assert m['max_drawdown'] * 100 == pytest.approx(s['Max. Drawdown [%]'], rel=1e-9)
    assert m['total_return'] * 100 == pytest.approx(s['Return [%]'], rel=1e-9)
