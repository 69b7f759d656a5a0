"Bad input gets a clear ValueError naming the parameter, never a numba typing traceback"
import inspect
import numpy as np, pandas as pd, pytest
import tradebook.indicators as ti

from indicator_registry import POSITIONS, periods_for, public_indicators
rng = np.random.default_rng(0)
N = 300
C = 100 + rng.normal(size=N).cumsum()
D = {'open': C + rng.normal(0, .2, N), 'high': C + 1, 'low': C - 1, 'close': C, 'volume': rng.integers(100, 1000, N).astype(float)}
D.update(real0=D['close'], real1=D['open'], periods=periods_for(N))

INDICATORS = public_indicators()
IDS = [t[0] for t in INDICATORS]

def _args(ins, **over):
    return [over.get(k, D[k]) for k in ins]

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=IDS)
def test_nan_and_inf_inside_are_rejected(name, fn, ins):
    for bad in (np.nan, np.inf, -np.inf):
        x = D[ins[-1]].copy(); x[150] = bad
        with pytest.raises(ValueError, match=rf"{ins[-1]} holds .* at position 150"):
            fn(*_args(ins, **{ins[-1]: x}))

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=IDS)
def test_bad_value_in_any_input_anywhere_is_rejected(name, fn, ins):
    "Kernels that check NaN/±inf inside their own loop must see every value of every input, first and last bars included"
    for k in ins:
        for pos, bads in ((0, (np.inf, -np.inf)), (1, (np.nan, np.inf, -np.inf)), (N - 1, (np.nan, np.inf, -np.inf))):
            for bad in bads:
                x = D[k].copy(); x[pos] = bad
                with pytest.raises(ValueError, match=rf"{k} holds {bad} at position {pos}"):
                    fn(*_args(ins, **{k: x}))

@pytest.mark.parametrize('name,fn,ins', [t for t in INDICATORS if len(t[2]) > 1], ids=[t[0] for t in INDICATORS if len(t[2]) > 1])
def test_bad_value_inside_another_inputs_warm_up_is_rejected(name, fn, ins):
    "A NaN/±inf in one input is an error even where another input is still in its leading-NaN warm-up"
    warm = D[ins[0]].copy(); warm[:5] = np.nan
    x = D[ins[-1]].copy(); x[2] = np.inf
    with pytest.raises(ValueError, match=rf"{ins[-1]} holds inf at position 2"):
        fn(*_args(ins, **{ins[0]: warm, ins[-1]: x}))

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=IDS)
def test_leading_nan_is_a_warm_up(name, fn, ins):
    "Leading NaN is skipped like TA-Lib's wrapper does: the result equals the computation on the valid tail (positions shifted by the warm-up)"
    pad = {k: np.r_[np.full(10, np.nan), D[k]] for k in ins}
    a = fn(*(pad[k] for k in ins)); b = fn(*(D[k] for k in ins))
    for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
        assert np.isnan(x[:10]).all(); np.testing.assert_array_equal(x[10:], y + 10 if name in POSITIONS else y)

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=IDS)
def test_shapes_types_and_lengths(name, fn, ins):
    with pytest.raises(ValueError, match='must hold real numbers'): fn(*_args(ins, **{ins[0]: np.array(['a'] * N)}))
    with pytest.raises(ValueError, match='3-D'): fn(*_args(ins, **{ins[0]: np.ones((N, 2, 2))}))
    with pytest.raises(ValueError, match='NumPy array or a pandas'): fn(*_args(ins, **{ins[0]: 'close'}))
    with pytest.raises(ValueError, match='is empty'): fn(*_args(ins, **{k: np.array([]) for k in ins}))
    if len(ins) > 1:
        with pytest.raises(ValueError, match=rf"{ins[-1]} has shape \({N - 1},\)"): fn(*_args(ins, **{ins[-1]: D[ins[-1]][:-1]}))
    ints = fn(*_args(ins, **{k: np.round(D[k]).astype(np.int64) for k in ins}))  # integers are accepted and converted
    ints = ints if isinstance(ints, tuple) else (ints,)
    assert all(r.dtype == np.float64 for r in ints)

PERIODIC = [(n, f, i, p) for n, f, i in INDICATORS for p in inspect.signature(f).parameters
            if p.startswith('timeperiod') or p.endswith('period')]

@pytest.mark.parametrize('name,fn,ins,param', PERIODIC, ids=[f'{t[0]}-{t[3]}' for t in PERIODIC])
def test_bad_periods(name, fn, ins, param):
    with pytest.raises(ValueError, match=rf'{param}=0: must be at least'): fn(*_args(ins), **{param: 0})
    with pytest.raises(ValueError, match=rf'{param}=400 is larger than the data \(300 bars\)'): fn(*_args(ins), **{param: 400})
    with pytest.raises(ValueError, match=rf'{param} must be an integer'): fn(*_args(ins), **{param: 5.5})
    with pytest.raises(ValueError, match=rf'{param} must be an integer'): fn(*_args(ins), **{param: True})

def test_other_parameters():
    c = D['close']
    with pytest.raises(ValueError, match=r"matype=-1: expected one of"): ti.bbands(c, matype=-1)
    with pytest.raises(ValueError, match='slowk_matype=14'): ti.stoch(D['high'], D['low'], c, slowk_matype=14)
    with pytest.raises(ValueError, match='nbdevup must be a finite number'): ti.bbands(c, nbdevup=np.nan)
    with pytest.raises(ValueError, match='vfactor=1.5'): ti.t3(c, vfactor=1.5)
    with pytest.raises(ValueError, match='acceleration must be a finite number'): ti.sar(D['high'], D['low'], acceleration='x')
    with pytest.raises(ValueError, match='volume must be non-negative'): ti.vwap(D['high'], D['low'], c, -D['volume'])
    with pytest.raises(ValueError, match='different indexes'):
        ti.midprice(pd.Series(D['high']), pd.Series(D['low'], index=np.arange(N) + 1))
    s = pd.Series(c, index=pd.date_range('2020-01-01', periods=N, freq='D')); s.iloc[42] = np.nan
    with pytest.raises(ValueError, match=r'position 42 \(2020-02-12'): ti.rsi(s)

def test_short_input_gives_all_nan_like_talib():
    out = ti.macd(D['close'][:30])  # MACD needs 34 bars of warm-up
    assert all(np.isnan(o).all() for o in out)
    assert np.isnan(ti.adx(D['high'][:20], D['low'][:20], D['close'][:20])).all()

@pytest.mark.parametrize('name,fn,ins', INDICATORS, ids=IDS)
def test_bad_value_in_a_column_of_2d_input_is_named(name, fn, ins):
    x = np.column_stack([D[ins[-1]]] * 3); x[77, 2] = -np.inf
    args = [np.column_stack([D[k]] * 3) for k in ins[:-1]] + [x]
    with pytest.raises(ValueError, match=rf"{ins[-1]} holds -inf at position 77 of column 2"): fn(*args)

def test_overflowing_sum_is_not_mistaken_for_bad_input():
    "Kernels flag 'maybe NaN/inf' from sums of the inputs; an overflow is a false alarm the wrapper clears with a full scan"
    import talib
    big = np.full(50, 1e308); big[::2] = 1.5e308
    np.testing.assert_array_equal(ti.avgprice(big, big, big, big), talib.AVGPRICE(big, big, big, big))
    np.testing.assert_array_equal(ti.trange(big, big / 2, big), talib.TRANGE(big, big / 2, big))
    assert np.isinf(ti.avgprice(big, big, big, big)).all()
