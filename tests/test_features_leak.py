"""THE proof: no feature of the default set looks ahead, on real and synthetic data, and every NaN is a documented warm-up.

For every column: computing on df[:t] gives exactly (bit for bit) rows [:t] of computing on df, at random cut points.
"""
import numpy as np, pandas as pd, pytest
from tradebook.data import load_sample
from tradebook.features import FeatureEngineer, FeatureTransformer, FeatureSpec, stack, default_feature_set
from tradebook.features_market import CrossAssetFeatures

pytest.importorskip('tradebook.indicators', reason='the technical family needs tradebook.indicators')

def synthetic_bars(n=3000, seed=7):
    "GBM with jumps, volatility clustering, flat bars and zero-volume bars: the awkward cases real data rarely has"
    g = np.random.default_rng(seed)
    vol = 0.01 * np.exp(np.cumsum(g.normal(0, 0.05, n)).clip(-1.5, 1.5))
    r = g.standard_t(4, n) * vol / np.sqrt(2) + (g.random(n) < 0.005) * g.normal(0, 0.08, n)
    c = 50 * np.exp(np.cumsum(r))
    o = np.r_[c[0], c[:-1]] * np.exp(g.normal(0, 0.002, n))
    h = np.maximum(o, c) * np.exp(np.abs(g.normal(0, 0.004, n)))
    l = np.minimum(o, c) * np.exp(-np.abs(g.normal(0, 0.004, n)))
    v = g.lognormal(12, 0.6, n)
    flat = g.random(n) < 0.01                       # no trade: O = H = L = C = previous close, zero volume
    prev = np.r_[c[0], c[:-1]]
    o[flat] = h[flat] = l[flat] = c[flat] = prev[flat]
    v[flat | (g.random(n) < 0.01)] = 0.0
    idx = pd.date_range('2015-01-05 09:30', periods=n, freq='15min', tz='UTC', name='timestamp')
    return pd.DataFrame(dict(open=o, high=h, low=l, close=c, volume=v), index=idx)

DATA = {'GOOGL': lambda: load_sample('GOOGL'), 'EURUSD': lambda: load_sample('EURUSD'), 'synthetic': synthetic_bars}

@pytest.fixture(scope='module')
def fe(): return default_feature_set()

@pytest.fixture(scope='module', params=list(DATA))
def case(request, fe):
    df = DATA[request.param]()
    return request.param, df, fe.transform(df).to_numpy()

def test_default_set_is_large_and_named(fe):
    tab = fe.feature_table()
    assert len(tab) >= 500 and tab.name.is_unique and (tab.meaning.str.len() > 10).all()

def test_no_lookahead_every_column(case, fe):
    name, df, F = case
    g = np.random.default_rng(abs(hash(name)) % 2**32)
    cuts = sorted({3, 50, fe.warmup + 1, *g.integers(fe.warmup, len(df), 3).tolist()})
    for t in cuts:
        P = fe.transform(df.iloc[:t]).to_numpy()
        bad = ~((P == F[:t]) | (np.isnan(P) & np.isnan(F[:t])))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            pytest.fail(f"{name}: feature {fe.get_feature_names_out()[j]!r} at row {i} changes when bars >= {t} are removed")

def test_nan_only_during_documented_warmup(case, fe):
    name, df, F = case
    wu = np.array([s.warmup for s in fe.specs()])
    expected = np.arange(len(F))[:, None] < wu[None, :]
    bad = np.isnan(F) != expected
    if bad.any():
        i, j = np.argwhere(bad)[0]
        pytest.fail(f"{name}: feature {fe.get_feature_names_out()[j]!r} (warm-up {wu[j]}) is "
                    f"{'NaN' if np.isnan(F[i, j]) else 'defined'} at row {i}")
    assert np.isfinite(F[~expected]).all()

def test_the_check_catches_a_leak():
    "A centred moving average (the classic leak) must fail the same comparison"
    class Centred(FeatureTransformer):
        def specs(self): return [FeatureSpec('centred_ma', 'mean of close over t-2 … t+2 (LEAKS)', 2)]
        def compute(self, a, index, start=0):
            return stack([pd.Series(a['close']).rolling(5, center=True).mean().to_numpy()[start:]], 1)
    df = load_sample('GOOGL'); tr = Centred()
    full, cut = tr.transform(df).to_numpy(), tr.transform(df.iloc[:1000]).to_numpy()
    assert not np.array_equal(full[:1000], cut, equal_nan=True)

def test_cross_asset_no_lookahead():
    gl = load_sample('GOOGL')
    peer = gl.assign(close=gl.close.rolling(3, min_periods=1).mean())  # a peer that differs but shares the calendar
    fe = FeatureEngineer([CrossAssetFeatures({'peer': peer})])
    F = fe.transform(gl).to_numpy()
    for t in (130, 999, 2001):
        np.testing.assert_array_equal(fe.transform(gl.iloc[:t]).to_numpy(), F[:t])
