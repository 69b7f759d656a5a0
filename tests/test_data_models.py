"Pydantic records: MarketData, TradingSignal, Position, Portfolio."
from datetime import datetime, timedelta, timezone
import pandas as pd
import pytest
from pydantic import ValidationError
from tradebook.data import load_sample, DataError
from tradebook.records import MarketData, TradingSignal, Position, Portfolio, bars_to_frame

T = '2024-03-01T14:30:00+00:00'
def bar(**kw):
    d = dict(symbol='aapl', timestamp=T, open=10, high=11, low=9, close=10.5, volume=5)
    d.update(kw); return MarketData(**d)

def test_bar_normalises_symbol_and_zone():
    b = bar(symbol='  brk.b ', timestamp=pd.Timestamp('2024-03-01 09:30', tz='America/New_York'))
    assert b.symbol == 'BRK.B' and b.timestamp == datetime(2024, 3, 1, 14, 30, tzinfo=timezone.utc)

@pytest.mark.parametrize('kw,msg', [
    (dict(high=10.4), r'high=10.4 is below max\(open, close\)=10.5'), (dict(low=10.2), r'low=10.2 is above min\(open, close\)=10.0'),
    (dict(low=0), 'greater than 0'), (dict(open=-1), 'greater than 0'), (dict(volume=-1), 'greater than or equal to 0'),
    (dict(close=float('nan')), 'finite'), (dict(high=float('inf')), 'finite'),
    (dict(timestamp='2024-03-01T14:30:00'), 'timezone'), (dict(symbol=''), 'not a ticker'), (dict(symbol=12), 'must be a string'),
    (dict(extra=1), 'Extra inputs')])
def test_bar_rejects(kw, msg):
    with pytest.raises(ValidationError, match=msg): bar(**kw)

def test_bar_rejects_the_future():
    with pytest.raises(ValidationError, match='in the future'): bar(timestamp=datetime.now(timezone.utc) + timedelta(minutes=5))

def test_bar_is_frozen():
    with pytest.raises(ValidationError): bar().close = 3

def test_frame_round_trip_and_mixed_symbols():
    g = load_sample('GOOGL').iloc[:20]
    bars = MarketData.from_frame(g, 'googl')
    assert len(bars) == 20 and bars[3].close == g['close'].iloc[3]
    pd.testing.assert_frame_equal(bars_to_frame(bars), g, check_freq=False)
    with pytest.raises(DataError, match='several symbols'): bars_to_frame(bars[:2] + [bar()])
    with pytest.raises(DataError, match='no bars'): bars_to_frame([])

def test_signal():
    s = TradingSignal(action=' Sell ', confidence=0, timestamp=T, source='rule')
    assert s.action == 'sell' and s.direction == -1 and s.symbol is None
    for kw, msg in [(dict(confidence=-0.1), 'greater than or equal to 0'), (dict(confidence=float('nan')), 'finite'),
                    (dict(action='flat'), "'buy', 'hold' or 'sell'"), (dict(timestamp='2024-03-01'), 'timezone')]:
        d = dict(action='buy', confidence=.5, timestamp=T, source='m'); d.update(kw)
        with pytest.raises(ValidationError, match=msg): TradingSignal(**d)

def test_position_and_portfolio_numbers():
    long = Position(symbol='aapl', quantity=100, avg_price=50, last_price=55)
    short = Position(symbol='msft', quantity=-20, avg_price=100, last_price=110)
    assert long.market_value == 5500 and long.unrealised_pnl == 500
    assert short.market_value == -2200 and short.unrealised_pnl == -200
    pf = Portfolio(cash=10_000, positions={'aapl': long, 'MSFT': short}, realised_pnl=-30)
    assert set(pf.positions) == {'AAPL', 'MSFT'}
    assert pf.equity == 10_000 + 5500 - 2200 and pf.unrealised_pnl == 300
    assert pf.gross_exposure == pytest.approx(7700 / 13300) and pf.net_exposure == pytest.approx(3300 / 13300)
    d = pf.model_dump()
    assert d['equity'] == 13300 and d['positions']['AAPL']['unrealised_pnl'] == 500
    assert Portfolio.model_validate({k: v for k, v in d.items() if k in ('cash', 'realised_pnl')}).equity == 10_000
    m = pf.mark({'aapl': 60, 'MSFT': 100})
    assert m.unrealised_pnl == 1000 + 0 and pf.unrealised_pnl == 300

def test_portfolio_rejects_inconsistent_keys_and_bad_prices():
    with pytest.raises(ValidationError, match="holds a position in 'MSFT'"):
        Portfolio(cash=0, positions={'AAPL': Position(symbol='MSFT', quantity=1, avg_price=1, last_price=1)})
    with pytest.raises(ValidationError, match='greater than 0'): Position(symbol='X', quantity=1, avg_price=0, last_price=1)
    with pytest.raises(ValueError, match="no position in"): Portfolio(cash=1).mark({'X': 1})
    assert Portfolio(cash=0).gross_exposure == float('inf')
