"Every indicator streams: `streaming.stream(name)` fed bar by bar equals the batch function at every bar of whole real series"
import numpy as np, pytest
import tradebook.indicators as ti
from tradebook import streaming as S
from indicator_registry import public_indicators, DOMAIN_LIMITED, INPUTS, PAIR, periods_for
from test_indicators_props import ARRAYS

INDICATORS = public_indicators()
NAMES = sorted({n for n, _, _ in INDICATORS} | DOMAIN_LIMITED)

def _data(key, name):
    d = ARRAYS[key]
    if name not in DOMAIN_LIMITED: return d
    c = d['close']; z = (c - c.mean()) / (np.abs(c - c.mean()).max() * 1.01)  # in (-1, 1): ACOS/ASIN's domain, EXP/COSH/SINH finite
    return {**d, 'close': z}

def _feed(s, d):
    cols = [d[k] for k in s.inputs]
    return np.array([s.update(*(x[i] for x in cols)) for i in range(len(cols[0]))])

@pytest.mark.parametrize('key', sorted(ARRAYS))
@pytest.mark.parametrize('name', NAMES)
def test_every_indicator_streams(name, key):
    "stream(name) at the batch function's defaults: the value after each bar equals the batch value at that bar, NaN warm-up included"
    d = _data(key, name); s = S.stream(name)
    fn = getattr(ti, name)
    got = _feed(s, d)
    want = fn(*(d[k] for k in s.inputs))
    want = np.column_stack(want) if isinstance(want, tuple) else want
    if isinstance(s, S.Window):
        # a Window sums its L bars afresh where the batch kernel carries running sums (TA-Lib's) over the whole series: their
        # rounding residue (~1e-12 relative after 6,000 bars, more on a small difference of large sums such as a regression
        # slope) is the difference; the bar is the one the batch functions meet against TA-Lib, 1e-9 of each output's scale
        scale = np.nanmax(np.abs(want.reshape(len(want), -1)), axis=0)
        np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-9, atol=1e-9 * scale.max(), equal_nan=True)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    else:
        # a hand-written state machine performs the batch kernel's operations in its order; where the kernel fuses a multiply
        # and an add and Python rounds twice, ~1e-16 relative, which only shows where an output is a small difference of
        # prices: hence the tiny price-scaled floor
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13 * np.abs(d['close']).max(), equal_nan=True)

PARAMS = [('ma', dict(timeperiod=10, matype=t)) for t in range(14)] + [
    ('apo', dict(fastperiod=3, slowperiod=10, matype=2)), ('ppo', dict(matype=0)), ('pvo', dict(matype=5)),
    ('macdext', dict(fastmatype=1, slowmatype=2, signalmatype=3)), ('macdext', dict(fastmatype=6, slowmatype=8, signalmatype=13)),
    ('stoch', dict(slowk_matype=1, slowd_matype=2)), ('stochf', dict(fastd_matype=9)), ('stochrsi', dict(fastd_matype=1)),
    ('kdj', dict(slowk_matype=2, slowd_matype=2)), ('kdj', dict(slowk_matype=0, slowd_matype=0)),
    ('bbands', dict(matype=2)), ('bbands', dict(matype=4)), ('bbands', dict(timeperiod=10, nbdevup=1.5, nbdevdn=2.5)), ('vwap', dict(timeperiod=24)),
    ('adx', dict(timeperiod=5)), ('sarext', dict(startvalue=0.5, offsetonreverse=0.01)), ('ht_sine', {}),
    ('cdlmorningstar', dict(penetration=0.5)), ('linearreg_slope', dict(timeperiod=50)), ('mavp', dict(minperiod=5, maxperiod=20)),
]

@pytest.mark.parametrize('name,params', PARAMS, ids=[f"{n}-{'-'.join(f'{k}{v}' for k, v in p.items())}" for n, p in PARAMS])
def test_streams_with_parameters(name, params):
    "stream(name, **params) picks the right form for the parameters and equals the batch function with them (GOOGL and EURUSD)"
    for key in ('GOOGL', 'EURUSD'):
        d = ARRAYS[key]; s = S.stream(name, **params)
        got = _feed(s, d)
        want = getattr(ti, name)(*(d[k] for k in s.inputs), **params)
        want = np.column_stack(want) if isinstance(want, tuple) else want
        tol = dict(rtol=1e-9, atol=1e-9 * np.nanmax(np.abs(want))) if isinstance(s, S.Window) else dict(rtol=1e-12, atol=1e-13 * np.abs(d['close']).max())
        np.testing.assert_allclose(got.reshape(want.shape), want, equal_nan=True, **tol)

def test_stream_dispatch_and_errors():
    assert isinstance(S.stream('KDJ', slowk_matype=0, slowd_matype=0), S.KDJ)  # a hand-written class wins over a Window
    assert isinstance(S.stream('linearreg', timeperiod=5), S.Window) and isinstance(S.stream('bbands', matype=2), S.BBANDS)
    with pytest.raises(ValueError, match='whole history'): S.Window('bbands', matype=1)
    assert S.is_windowed('stoch') and not S.is_windowed('stoch', slowk_matype=1) and not S.is_windowed('vwap') and S.is_windowed('vwap', timeperiod=5)
    with pytest.raises(ValueError, match="unknown indicator 'foo'"): S.stream('foo')
    with pytest.raises(ValueError, match="no parameter 'window'"): S.stream('rsi', window=3)
    with pytest.raises(ValueError, match='timeperiod'): S.stream('adx', timeperiod=0)
    with pytest.raises(ValueError, match='high'): S.stream('adx').update(np.nan, 1.0, 1.0)
    ss = S.StreamSet({'k': ('kdj', {}), 'e': 'cdlengulfing'})
    assert set(ss.update(dict(open=1.0, high=2.0, low=0.5, close=1.5, volume=10.0))) == {'k', 'e'}
