"""The generic indicator properties for the math transforms raw prices cannot feed (ACOS/ASIN need [-1, 1], EXP/COSH/SINH
overflow beyond ~710; see DOMAIN_LIMITED in indicator_registry.py), on in-domain data; and the domain errors of tradebook.mathops"""
from pathlib import Path
import numpy as np, pandas as pd, pytest
from hypothesis import given, settings, strategies as st, HealthCheck
import tradebook.indicators as ti
from tradebook import mathops as M

from indicator_registry import DOMAIN_LIMITED
SAMPLES = Path(__file__).resolve().parents[1]/'tradebook'/'samples'

def _close(name):
    df = pd.read_csv(SAMPLES/name, index_col='Date', parse_dates=True)
    return df['Close'].astype(float)

def _in_domain(name, close):
    "Data each function accepts: squashed log returns in (-1, 1) for ACOS/ASIN, log returns for EXP/COSH/SINH"
    r = np.diff(np.log(close), prepend=np.log(close[0]))
    return np.tanh(r * 50) if name in ('acos', 'asin') else r

CLOSES = {'GOOGL': _close('STOCKS_GOOGL.csv'), 'EURUSD': _close('FOREX_EURUSD_1H_ASK.csv')}
FUNCS = sorted(DOMAIN_LIMITED)

def test_the_excluded_set_is_exactly_these_public_functions():
    assert set(FUNCS) <= set(M.__all__) and all(getattr(ti, n) is getattr(M, n) for n in FUNCS)

@pytest.mark.parametrize('name', FUNCS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_look_ahead(name, data):
    fn = getattr(M, name)
    x = _in_domain(name, CLOSES[data.draw(st.sampled_from(sorted(CLOSES)))].to_numpy())
    t = data.draw(st.integers(min_value=100, max_value=len(x)))
    np.testing.assert_array_equal(fn(x[:t]), fn(x)[:t])

@pytest.mark.parametrize('name', FUNCS)
def test_pandas_and_2d(name):
    fn = getattr(M, name)
    s = CLOSES['GOOGL'].iloc[:600]; x = pd.Series(_in_domain(name, s.to_numpy()), index=s.index)
    ser = fn(x)
    assert isinstance(ser, pd.Series) and ser.index.equals(x.index) and ser.name == name
    np.testing.assert_array_equal(ser.to_numpy(), fn(x.to_numpy()))
    e = _in_domain(name, CLOSES['EURUSD'].to_numpy()[:600]); e[:7] = np.nan
    panel = np.column_stack([x.to_numpy(), e])
    res = fn(panel)
    assert res.shape == (600, 2)
    np.testing.assert_array_equal(res[:, 0], fn(panel[:, 0])); np.testing.assert_array_equal(res[:, 1], fn(panel[:, 1]))
    assert np.isnan(res[:7, 1]).all()
    frame = fn(pd.DataFrame(panel, index=s.index, columns=['a', 'b']))
    assert list(frame.columns) == ['a', 'b'] and frame.index.equals(s.index); np.testing.assert_array_equal(frame.to_numpy(), res)

N = 300

@pytest.mark.parametrize('name', FUNCS)
def test_nan_and_inf_rejected_anywhere(name):
    fn = getattr(M, name); x = _in_domain(name, CLOSES['GOOGL'].to_numpy()[:N])
    for pos, bads in ((0, (np.inf, -np.inf)), (1, (np.nan, np.inf, -np.inf)), (150, (np.nan, np.inf, -np.inf)), (N - 1, (np.nan, np.inf, -np.inf))):
        for bad in bads:
            y = x.copy(); y[pos] = bad
            with pytest.raises(ValueError, match=rf"close holds {bad} at position {pos}: NaN is only allowed"): fn(y)
    y = np.column_stack([x] * 3); y[77, 2] = -np.inf
    with pytest.raises(ValueError, match=r"close holds -inf at position 77 of column 2"): fn(y)

@pytest.mark.parametrize('name', FUNCS)
def test_leading_nan_is_a_warm_up(name):
    fn = getattr(M, name); x = _in_domain(name, CLOSES['GOOGL'].to_numpy()[:N])
    a = fn(np.r_[np.full(10, np.nan), x])
    assert np.isnan(a[:10]).all(); np.testing.assert_array_equal(a[10:], fn(x))

@pytest.mark.parametrize('name', FUNCS)
def test_shapes_types_and_lengths(name):
    fn = getattr(M, name); x = _in_domain(name, CLOSES['GOOGL'].to_numpy()[:N])
    with pytest.raises(ValueError, match='must hold real numbers'): fn(np.array(['a'] * N))
    with pytest.raises(ValueError, match='3-D'): fn(np.ones((N, 2, 2)) * 0.5)
    with pytest.raises(ValueError, match='NumPy array or a pandas'): fn('close')
    with pytest.raises(ValueError, match='is empty'): fn(np.array([]))
    ints = fn(np.round(x).astype(np.int64))  # integers are accepted and converted
    assert ints.dtype == np.float64 and np.array_equal(ints, fn(np.round(x)))

# the domain errors: TA-Lib returns NaN/±inf for these, tradebook raises and names the bar
DOMAIN = [
    (M.acos, np.full(20, 0.5), 1.5, "outside acos's domain \\[-1, 1\\]"),
    (M.asin, np.full(20, 0.5), -1.0000001, "outside asin's domain \\[-1, 1\\]"),
    (M.ln, np.full(20, 2.0), 0.0, "outside ln's domain \\(0, inf\\)"),
    (M.ln, np.full(20, 2.0), -3.0, "outside ln's domain"),
    (M.log10, np.full(20, 2.0), 0.0, "outside log10's domain"),
    (M.sqrt, np.full(20, 2.0), -1e-300, "outside sqrt's domain \\[0, inf\\)"),
    (M.exp, np.full(20, 2.0), 710.0, "exp overflows to inf"),
    (M.cosh, np.full(20, 2.0), -711.0, "cosh overflows to inf"),
    (M.sinh, np.full(20, 2.0), 711.0, "sinh overflows"),
]

@pytest.mark.parametrize('fn,good,bad,why', DOMAIN, ids=[f'{d[0].__name__}_{d[2]}' for d in DOMAIN])
def test_domain_errors(fn, good, bad, why):
    for pos in (0, 7, 19):
        x = good.copy(); x[pos] = bad
        with pytest.raises(ValueError, match=rf"close holds {bad} at position {pos}: {why}"): fn(x)
    x = np.r_[np.nan, np.nan, good]; x[9] = bad  # after a warm-up: the position in the caller's array
    with pytest.raises(ValueError, match=rf"position 9: {why}"): fn(x)
    x = np.column_stack([good, good]); x[5, 1] = bad
    with pytest.raises(ValueError, match=rf"position 5 of column 1: {why}"): fn(x)
    idx = pd.date_range('2024-01-01', periods=len(good), freq='D'); s = pd.Series(good, idx); s.iloc[3] = bad
    with pytest.raises(ValueError, match=rf"position 3 \(2024-01-04 00:00:00\): {why}"): fn(s)

def test_edges_of_the_domains_are_fine():
    np.testing.assert_array_equal(M.acos(np.array([-1.0, 1.0])), [np.pi, 0.0])
    np.testing.assert_array_equal(M.sqrt(np.array([0.0, -0.0])), [0.0, -0.0])
    assert np.isfinite(M.exp(np.array([709.78]))).all() and M.exp(np.array([-1e6]))[0] == 0.0  # underflow to 0 is fine
    assert np.isfinite(M.ln(np.array([5e-324]))).all()

def test_division_by_zero():
    a = np.arange(1.0, 21.0); b = np.ones(20)
    for pos in (0, 12, 19):
        z = b.copy(); z[pos] = 0.0
        with pytest.raises(ValueError, match=rf"real1 holds 0.0 at position {pos}: division by zero"): M.div(a, z)
    z = b.copy(); z[12] = -0.0; a0 = a.copy(); a0[12] = 0.0  # 0/0 and x/-0 too
    with pytest.raises(ValueError, match="real1 holds -0.0 at position 12: division by zero"): M.div(a0, z)
    z = np.column_stack([b, b]); z[4, 1] = 0.0
    with pytest.raises(ValueError, match="real1 holds 0.0 at position 4 of column 1: division by zero"): M.div(np.column_stack([a, a]), z)
    z = b.copy(); z[0] = 0.0; w = a.copy(); w[0] = np.nan  # a zero inside real0's warm-up is never divided by
    r = M.div(w, z); assert np.isnan(r[0]) and np.array_equal(r[1:], a[1:])
    with pytest.raises(ValueError, match="real1 holds inf at position 3"): M.div(a, np.r_[b[:3], np.inf, b[4:]])

def test_overflow_of_arithmetic_keeps_talibs_inf():
    "ADD/MULT/CUMSUM overflowing the largest double keep TA-Lib's inf (as the library's other sums do): the inputs were finite"
    import talib
    big = np.full(10, 1e308)
    np.testing.assert_array_equal(M.add(big, big), talib.ADD(big, big))
    np.testing.assert_array_equal(M.mult(big, big), talib.MULT(big, big))
    np.testing.assert_array_equal(M.cumsum(big), talib.CUMSUM(big))
    assert np.isinf(M.cumsum(big)[-1])

def test_percentile_parameter():
    x = CLOSES['GOOGL'].to_numpy()[:N]
    for bad in (-0.1, 100.5): 
        with pytest.raises(ValueError, match=f'percentile={bad}'): M.percentile(x, 30, bad)
    for bad in (np.nan, np.inf, 'x', True):
        with pytest.raises(ValueError, match='percentile must be a finite number'): M.percentile(x, 30, bad)
    np.testing.assert_array_equal(M.percentile(x, 10, 0), M.minmax(x, 10)[0])
    np.testing.assert_array_equal(M.percentile(x, 10, 100), M.minmax(x, 10)[1])

def test_index_functions_use_talibs_numbering():
    "MAXINDEX & co.: positions in the caller's array (TA-Lib's numbering: a leading warm-up shifts them), per column"
    import talib
    x = CLOSES['GOOGL'].to_numpy()[:N]
    p = np.r_[np.full(5, np.nan), x]
    got = M.maxindex(p, 10); want = talib.MAXINDEX(p, 10).astype(float); want[:14] = np.nan
    np.testing.assert_array_equal(got, want)
    two = M.minmaxindex(np.column_stack([x, p[:N]]), 10)
    np.testing.assert_array_equal(two[1][:, 0], M.maxindex(x, 10)); np.testing.assert_array_equal(two[0][:, 1], M.minindex(p[:N], 10))
    s = M.minmaxindex(pd.Series(x), 10); assert list(s.columns) == ['minidx', 'maxidx']
    with pytest.raises(ValueError, match='timeperiod=1: must be at least 2'): M.minindex(x, 1)
    with pytest.raises(ValueError, match='close holds nan at position 20'): M.maxindex(np.r_[x[:20], np.nan, x[21:]])

# ten transforms are NumPy's SIMD ufuncs (02e, "Math transforms"): not TA-Lib's libm bits, within four units in the last place
_rng = np.random.default_rng(7)
_M = 200_000
WIDE = {  # arguments spread over each function's domain, where libm and the SIMD versions are most likely to part
    'acos': lambda: _rng.uniform(-1, 1, _M), 'asin': lambda: _rng.uniform(-1, 1, _M), 'atan': lambda: _rng.standard_cauchy(_M),
    'tan': lambda: _rng.uniform(-1e6, 1e6, _M), 'cosh': lambda: _rng.uniform(-710, 710, _M), 'sinh': lambda: _rng.uniform(-710, 710, _M),
    'tanh': lambda: _rng.uniform(-30, 30, _M) * 10.0 ** _rng.integers(-8, 1, _M), 'exp': lambda: _rng.uniform(-700, 709, _M),
    'ln': lambda: np.exp(_rng.uniform(-700, 700, _M)), 'log10': lambda: np.exp(_rng.uniform(-700, 700, _M)),
}

@pytest.mark.parametrize('name', sorted(WIDE))
def test_simd_transforms_agree_with_talib_over_their_domains(name):
    import talib
    x = WIDE[name](); ours = getattr(M, name)(x)
    np.testing.assert_allclose(ours, getattr(talib, name.upper())(x), rtol=1e-15, atol=0)
    np.testing.assert_array_equal(getattr(M, name)(x[:40_001]), ours[:40_001])  # a cut inside a chunk: the same bits
    np.testing.assert_array_equal(getattr(M, name)(np.column_stack([x[::-1], x]))[:, 1], ours)  # a strided column too
