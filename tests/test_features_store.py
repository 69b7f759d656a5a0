"Streaming equals batch at every step, for every column of the default set; the disk cache keys on data and configuration."
import numpy as np, pandas as pd, pytest
from tradebook.data import load_sample
from tradebook.features import default_feature_set
pytest.importorskip('tradebook.indicators', reason='the technical family needs tradebook.indicators')
from tradebook.feature_store import FeatureStream, FeatureCache

# Tolerance, relative to |batch value| + the column's std over the series. Recursive technical columns (EMA chains, KAMA,
# Wilder RSI/CMO/ATR/ADX/ADXR/DI, MACD, TRIX, SAR, SMA, WMA, Bollinger) follow the batch recursions operation by operation:
# they differ at most by the last bits of a numba vs NumPy `log`. Windowed columns restart their running sums at the window
# (the batch carries them from bar 0), and the wavelet/Fourier transforms are precomputed matrices instead of pywt/pocketfft:
# they agree to rounding, amplified where a variance is a difference of large sums (1e-8 seen on 5-bar EURUSD windows).
TOL, TOL_RECURSIVE = 1e-6, 1e-13
RECURSIVE = ('tech_ema_', 'tech_dema_', 'tech_tema_', 'tech_kama_', 'tech_rsi_', 'tech_cmo_', 'tech_natr_', 'tech_adx_',
             'tech_adxr_', 'tech_plus_di_', 'tech_minus_di_', 'tech_trix_', 'tech_macd', 'tech_sar', 'tech_sma_', 'tech_wma_',
             'tech_bb_')

def _errors(rows, F, names):
    "Relative error of streamed rows against the batch rows, and a check that NaNs sit in the same places"
    B = F[-len(rows):]
    assert (np.isnan(rows) == np.isnan(B)).all(), names[(np.isnan(rows) != np.isnan(B)).any(0)][:5]
    scale = np.nanstd(F, axis=0) + 1e-12
    return np.nan_to_num(np.abs(rows - B) / (np.abs(B) + scale + 1e-300))

def _check(rows, F, names):
    err = _errors(rows, F, names); j = int(err.max(0).argmax())
    assert err.max() < TOL, (names[j], err.max())
    rec = np.array([n.startswith(RECURSIVE) for n in names])
    assert rec.sum() >= 100 and err[:, rec].max() < TOL_RECURSIVE, (names[rec][err[:, rec].max(0).argmax()], err[:, rec].max())
    return err

@pytest.mark.parametrize('name', ['GOOGL', 'EURUSD'])
def test_stream_equals_batch_every_step(name):
    "A few hundred bars after a long history, one by one: every column equals the batch row at every step"
    df = load_sample(name); fe = default_feature_set(); names = fe.get_feature_names_out()
    F = fe.transform(df).to_numpy(); k = 300
    fs = FeatureStream(fe, df.iloc[:-k])
    rows = np.array([fs.update(df.iloc[i]) for i in range(len(df) - k, len(df))])
    assert np.isfinite(rows).all()
    _check(rows, F, names)
    np.testing.assert_array_equal(fs.last(), rows[-1])          # last() repeats the newest row without advancing anything

def test_stream_from_scratch_through_warmup():
    "An empty stream fed bar by bar: NaN exactly where the batch has NaN, then the handover to O(1) state is seamless"
    df = load_sample('GOOGL').iloc[:420]; fe = default_feature_set(); names = fe.get_feature_names_out()
    F = fe.transform(df).to_numpy()
    fs = FeatureStream(fe)
    rows = np.array([fs.update(df.iloc[i]) for i in range(len(df))])
    _check(rows[300:], F, names)
    err = _errors(rows, F, names)                               # also asserts identical NaN positions during the warm-up
    assert err.max() < TOL, (names[err.max(0).argmax()], err.max())
    assert fs._state[0] is not None                             # the technical family runs on its recursive state now

def test_stream_extend_and_small_capacity():
    "State seeded from a history longer than the buffer, advanced by extend() and by updates across buffer compactions"
    df = load_sample('EURUSD'); fe = default_feature_set(); names = fe.get_feature_names_out()
    F = fe.transform(df).to_numpy(); n = len(df)
    fs = FeatureStream(fe, df.iloc[:n - 900], capacity=320)    # 5,300 bars of history, 320 kept
    rows = [fs.update(df.iloc[i]) for i in range(n - 900, n - 700)]
    fs.extend(df.iloc[n - 700:n - 400])
    rows.append(fs.last()); k0 = len(rows)
    rows += [fs.update(df.iloc[i]) for i in range(n - 400, n)]  # crosses several compactions of the 2 x 320 buffer
    rows = np.array(rows)
    _check(rows[:200], F[:n - 700], names)
    _check(rows[200:201], F[:n - 400], names)
    _check(rows[k0:], F, names)

def test_stream_cross_asset_fallback():
    "A family without a streaming kernel (cross-asset, which reads the timestamps) goes through compute on the buffer"
    df = load_sample('GOOGL'); g = np.random.default_rng(0)
    peer = df.copy(); peer[['open', 'high', 'low', 'close']] *= np.exp(np.cumsum(g.normal(0, 0.01, len(df))))[:, None]
    fe = default_feature_set(benchmark=peer); names = fe.get_feature_names_out()
    assert any(n.startswith('xa_bench_') for n in names)
    F = fe.transform(df).to_numpy(); k = 60
    fs = FeatureStream(fe, df.iloc[:-k])
    rows = np.array([fs.update(df.iloc[i]) for i in range(len(df) - k, len(df))])
    _check(rows, F, names)

def test_stream_validates_bars():
    df = load_sample('GOOGL'); fs = FeatureStream(default_feature_set(), df)
    with pytest.raises(ValueError, match='is not after the last bar'): fs.update(df.iloc[-1])
    with pytest.raises(ValueError, match="missing a numeric 'volume'"):
        fs.update(dict(open=1, high=1, low=1, close=1), timestamp='2030-01-01')
    with pytest.raises(ValueError, match='capacity=100'): FeatureStream(default_feature_set(), capacity=100)

def test_cache_roundtrip(tmp_path):
    df = load_sample('GOOGL').iloc[:800]; fe = default_feature_set(); c = FeatureCache(tmp_path)
    a = c.transform(fe, df); b = c.transform(fe, df)
    assert (c.hits, c.misses) == (1, 1)
    pd.testing.assert_frame_equal(a, b)
    df2 = df.copy(); df2.iloc[-1, 3] *= 1.001
    c.transform(fe, df2); assert c.misses == 2
