"Properties of every indicator: no look-ahead (hypothesis cut points), streaming == batch, 2-D == column by column, lazy import"
import subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, pytest
from hypothesis import given, settings, strategies as st, HealthCheck
import tradebook.indicators as ti
from tradebook import streaming as S

from indicator_registry import INPUTS, PAIR, periods_for, public_indicators
SAMPLES = Path(__file__).resolve().parents[1]/'tradebook'/'samples'

def _csv(name):
    df = pd.read_csv(SAMPLES/name, index_col='Date', parse_dates=True)
    df.columns = df.columns.str.lower()
    return df.astype(float)

def _series():
    out = {'GOOGL': _csv('STOCKS_GOOGL.csv'), 'EURUSD': _csv('FOREX_EURUSD_1H_ASK.csv')}
    try:
        import backtesting.test as bt
        g = bt.GOOG.copy(); g.columns = g.columns.str.lower(); out['GOOG'] = g.astype(float)
    except ImportError: pass
    return out

SERIES = {k: df.assign(**{c: df[src] for c, src in PAIR.items()}, periods=periods_for(len(df))) for k, df in _series().items()}
ARRAYS = {k: {c: df[c].to_numpy() for c in INPUTS} for k, df in SERIES.items()}

INDICATORS = public_indicators()

def test_registry_is_complete():
    names = {n for n, _, _ in INDICATORS}
    assert len(names) >= 60
    assert {'sma', 'ema', 'wma', 'dema', 'tema', 'trima', 'kama', 't3', 'macd', 'macdext', 'ppo', 'apo', 'rsi', 'stoch', 'stochf',
            'stochrsi', 'willr', 'cci', 'mfi', 'roc', 'rocp', 'mom', 'cmo', 'adx', 'adxr', 'plus_di', 'minus_di', 'dx', 'aroon',
            'aroonosc', 'ultosc', 'trix', 'bop', 'bbands', 'atr', 'natr', 'trange', 'obv', 'ad', 'adosc', 'sar', 'midpoint',
            'midprice', 'stddev', 'var', 'linearreg', 'linearreg_slope', 'vwap', 'donchian', 'keltner', 'zscore', 'hma'} <= names

def _call(fn, ins, d, stop=None):
    res = fn(*(d[k][:stop] for k in ins))
    return res if isinstance(res, tuple) else (res,)

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=[t[0] for t in INDICATORS])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_look_ahead(name, fn, ins, data):
    "f(x[:t]) == f(x)[:t], bit for bit: a value at bar t never depends on bars after t"
    key = data.draw(st.sampled_from(sorted(ARRAYS)))
    d = ARRAYS[key]
    n = len(d['close'])
    t = data.draw(st.integers(min_value=100, max_value=n))
    full, cut = _call(fn, ins, d), _call(fn, ins, d, t)
    for a, b in zip(full, cut): np.testing.assert_array_equal(b, a[:t])

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=[t[0] for t in INDICATORS])
def test_pandas_and_2d(name, fn, ins):
    "Series in → same index out; a bars × assets frame equals the indicator column by column"
    df = SERIES['GOOGL'].iloc[:600]
    ser = fn(*(df[k] for k in ins))
    arr = _call(fn, ins, {k: df[k].to_numpy() for k in ins})
    if isinstance(ser, pd.DataFrame):
        assert (ser.index == df.index).all() and len(ser.columns) == len(arr)
        for col, a in zip(ser.columns, arr): np.testing.assert_array_equal(ser[col].to_numpy(), a)
    else:
        assert isinstance(ser, pd.Series) and ser.index.equals(df.index); np.testing.assert_array_equal(ser.to_numpy(), arr[0])
    # two assets: GOOGL and EURUSD's first 600 bars, EURUSD with a leading warm-up of NaN
    e = SERIES['EURUSD'].iloc[:600]
    panel = {k: np.column_stack([df[k].to_numpy(), e[k].to_numpy()]) for k in ins}
    for k in ins: panel[k][:7, 1] = np.nan
    res2 = _call(fn, ins, panel)
    col0 = _call(fn, ins, {k: panel[k][:, 0] for k in ins}); col1 = _call(fn, ins, {k: panel[k][:, 1] for k in ins})
    for r, a, b in zip(res2, col0, col1):
        assert r.shape == (600, 2)
        np.testing.assert_array_equal(r[:, 0], a); np.testing.assert_array_equal(r[:, 1], b)
    assert np.isnan(col1[0][:7]).all()

STREAMS = [
    ('SMA', lambda: S.SMA(20), ('close',), lambda d: ti.sma(d['close'], 20)),
    ('EMA', lambda: S.EMA(12), ('close',), lambda d: ti.ema(d['close'], 12)),
    ('RSI', lambda: S.RSI(14), ('close',), lambda d: ti.rsi(d['close'])),
    ('MACD', lambda: S.MACD(), ('close',), lambda d: ti.macd(d['close'])),
    ('STOCH', lambda: S.STOCH(), ('high', 'low', 'close'), lambda d: ti.stoch(d['high'], d['low'], d['close'])),
    ('STDDEV', lambda: S.STDDEV(5), ('close',), lambda d: ti.stddev(d['close'])),
    ('VAR20', lambda: S.STDDEV(20, variance=True), ('close',), lambda d: ti.var(d['close'], 20)),
    ('BBANDS', lambda: S.BBANDS(20), ('close',), lambda d: ti.bbands(d['close'])),
    ('ATR', lambda: S.ATR(14), ('high', 'low', 'close'), lambda d: ti.atr(d['high'], d['low'], d['close'])),
    ('OBV', lambda: S.OBV(), ('close', 'volume'), lambda d: ti.obv(d['close'], d['volume'])),
    ('VWAP', lambda: S.VWAP(), ('high', 'low', 'close', 'volume'), lambda d: ti.vwap(d['high'], d['low'], d['close'], d['volume'])),
    ('VWAP24', lambda: S.VWAP(24), ('high', 'low', 'close', 'volume'), lambda d: ti.vwap(d['high'], d['low'], d['close'], d['volume'], 24)),
]

@pytest.mark.parametrize('key', sorted(ARRAYS))
@pytest.mark.parametrize('name,make,ins,batch', STREAMS, ids=[s[0] for s in STREAMS])
def test_streaming_equals_batch(key, name, make, ins, batch):
    "Over a whole real series, the streaming value after each bar equals the batch value at that bar"
    d = ARRAYS[key]; s = make()
    got = np.array([s.update(*(d[k][i] for k in ins)) for i in range(len(d['close']))])
    want = batch(d)
    want = np.column_stack(want) if isinstance(want, tuple) else want
    # the batch EMA/Wilder kernels fuse multiply-adds (FMA) that Python rounds twice: ~1e-16 relative differences, which
    # only matter where an output is a small difference of prices (MACD's histogram), hence the tiny price-scaled floor
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13 * np.abs(d['close']).max(), equal_nan=True)

def test_import_is_lazy():
    "Importing the indicator API compiles no kernel and costs little beyond numpy/numba themselves"
    code = ("import time, numpy, numba; t = time.perf_counter(); import tradebook.indicators, tradebook.streaming; "
            "own = time.perf_counter() - t; import sys; "
            "from numba.core.registry import CPUDispatcher; import tradebook.kernels as k; "
            "ds = [getattr(k, n) for n in dir(k) if isinstance(getattr(k, n), CPUDispatcher)]; "
            "print(own, len(ds), sum(len(d.signatures) for d in ds), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()
    own, n_kernels, compiled, pandas_loaded = float(out[0]), int(out[1]), int(out[2]), out[3] == 'True'
    assert n_kernels >= 20 and compiled == 0, out
    assert own < 0.5, f"import tradebook.indicators took {own:.2f}s on top of numpy/numba"
    assert not pandas_loaded

def test_one_pass_price_oscillators_are_bit_identical_to_the_ma_composition():
    "APO/PPO (SMA, EMA) and all-SMA MACDEXT run in one pass; they must equal the generic MA composition exactly, not nearly"
    from tradebook.kernels import ma_nb, ma_from_nb, ma_lookback_nb
    from tradebook.kernels_momentum import po_nb, macdext_nb
    x = 100 + np.random.default_rng(3).normal(size=3000).cumsum()
    for f, s in ((12, 26), (2, 3), (5, 5), (2, 40), (1, 7)):
        for mt in (0, 1):
            lb = max(ma_lookback_nb(f, mt), ma_lookback_nb(s, mt))
            fast, slow = ma_nb(x, f, mt), ma_nb(x, s, mt)
            np.testing.assert_array_equal(po_nb(x, f, s, mt, False)[lb:], (fast - slow)[lb:])
            np.testing.assert_array_equal(po_nb(x, f, s, mt, True)[lb:], np.where(slow != 0, (fast - slow) / slow * 100.0, 0.0)[lb:])
        for sig in (1, 2, 9):
            big = max(f, s) - 1; lb = big + sig - 1
            line = (ma_from_nb(x, f, 0, big) - ma_from_nb(x, s, 0, big))[big:]
            ref = ma_nb(line, sig, 0)
            m, g, h = macdext_nb(x, f, 0, s, 0, sig, 0)
            np.testing.assert_array_equal(m[lb:], line[sig - 1:]); np.testing.assert_array_equal(g[lb:], ref[sig - 1:])
            np.testing.assert_array_equal(h[lb:], (line - ref)[sig - 1:])

def test_ma_of_each_type_is_that_average_bit_for_bit():
    "ma(x, n, t) is the type's own function, to the bit, whether ma_nb was compiled here or loaded from numba's cache"
    import tradebook.trend as tt
    own = {0: ti.sma, 1: ti.ema, 2: ti.wma, 3: ti.dema, 4: ti.tema, 5: ti.trima, 6: ti.kama, 7: lambda x, n: ti.mama(x)[0],
           8: lambda x, n: ti.t3(x, n, 0.7), 9: ti.hma, 12: tt.zlema, 13: tt.rma}
    for key in ('GOOGL', 'EURUSD'):
        x = ARRAYS[key]['close']
        for t, f in own.items():
            for n in (2, 10, 30):
                np.testing.assert_array_equal(ti.ma(x, n, t), f(x, n), err_msg=f"matype {t}, timeperiod {n}, {key}")
