"Property tests for labels and walk-forward splits: the label at t sees only t+1..t+h; purge and embargo hold."
import numpy as np, pandas as pd, pytest
from hypothesis import given, settings, strategies as st
from tradebook.labels import make_labels, walk_forward_splits, check_no_overlap, Fold, make_windows

def _bars(n, seed):
    g = np.random.default_rng(seed)
    c = 100 * np.exp(np.cumsum(g.normal(0, 0.01, n)))
    o = c * np.exp(g.normal(0, 0.003, n))
    h = np.maximum(o, c) * np.exp(np.abs(g.normal(0, 0.004, n)))
    l = np.minimum(o, c) * np.exp(-np.abs(g.normal(0, 0.004, n)))
    idx = pd.date_range('2020-01-01', periods=n, freq='h', tz='UTC', name='timestamp')
    return pd.DataFrame(dict(open=o, high=h, low=l, close=c, volume=g.uniform(1e3, 1e4, n)), index=idx)

@settings(max_examples=40, deadline=None)
@given(n=st.integers(60, 400), h=st.integers(1, 12), seed=st.integers(0, 10_000), data=st.data())
def test_label_at_t_depends_only_on_t1_to_th(n, h, seed, data):
    df = _bars(n, seed)
    t = data.draw(st.integers(0, n - h - 1))
    g = np.random.default_rng(seed + 1)
    pert = df.copy(); m = (np.arange(n) <= t) | (np.arange(n) > t + h)
    f = np.exp(g.normal(0, 0.05, m.sum()))
    for k in ('open', 'high', 'low', 'close'): pert.loc[m, k] *= f
    kw = dict(horizon=h, threshold=0.004, barrier=0.02)
    a, b = make_labels(df, **kw), make_labels(pert, **kw)
    pd.testing.assert_series_equal(a.iloc[t], b.iloc[t])
    # changing a bar inside the window does change the regression target
    inside = df.copy(); inside.iloc[t + h, inside.columns.get_loc('close')] *= 1.1
    assert make_labels(inside, **kw).fwd_logret.iloc[t] != a.fwd_logret.iloc[t]

@settings(max_examples=30, deadline=None)
@given(n=st.integers(80, 400), h=st.integers(2, 10), vw=st.integers(2, 30), seed=st.integers(0, 10_000), data=st.data())
def test_vol_scaled_threshold_uses_only_past_bars(n, h, vw, seed, data):
    df = _bars(n, seed)
    lab = make_labels(df, h, 1.0, vol_window=vw, dropna=False)
    t = data.draw(st.integers(vw, n - h - 1))
    r = np.diff(np.log(df.close.to_numpy()[:t + 1]))[-vw:]
    np.testing.assert_allclose(lab.threshold.iloc[t], r.std(ddof=1) * np.sqrt(h), rtol=1e-9)
    assert lab.valid.iloc[:vw].sum() == 0 and lab.valid.iloc[vw:n - h].all() and not lab.valid.iloc[n - h:].any()

@settings(max_examples=60, deadline=None)
@given(n=st.integers(200, 3000), k=st.integers(1, 6), h=st.integers(1, 20), e=st.integers(0, 10), rolling=st.booleans())
def test_walk_forward_purge_and_embargo(n, k, h, e, rolling):
    ts = (n - h - e) // (k + 1)
    if ts < 1: return
    folds = walk_forward_splits(n, k, horizon=h, embargo=e, train_size=ts if rolling else None)
    assert len(folds) == k
    for i, f in enumerate(folds):
        assert check_no_overlap(f, h, e, n=n)
        assert f.train.max() + h + e < f.test.min()          # purge + embargo
        assert f.test.max() < n and len(f.test) == ts
        if i: assert f.test.min() == folds[i - 1].test.max() + 1  # test blocks tile the tail
        # one more training row would break the proof
        bigger = Fold(np.r_[f.train, f.train.max() + 1], f.test)
        with pytest.raises(AssertionError, match='overlaps the test window'): check_no_overlap(bigger, h, e, n=n)

def test_windows_are_views_and_align():
    X = np.random.default_rng(0).normal(size=(50, 3))
    for layout in ('nsf', 'nfs'):
        w = make_windows(X, 7, layout)
        assert np.shares_memory(w, X) and w.base is not None
        k = 13
        np.testing.assert_array_equal(w[k] if layout == 'nsf' else w[k].T, X[k:k + 7])
