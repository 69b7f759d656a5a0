"Kernels whose speed rests on SIMD loops keep them: their machine code has packed arithmetic, and they stay far under TA-Lib's time"
import json, subprocess, sys, pytest
from tradebook.bench.indicators import VECTORISED, host_runs, vector_census

@pytest.fixture(scope='module')
def census():
    # a child process with an empty numba cache (cached builds cannot be disassembled), code built for Haswell (AVX2 + FMA)
    if not host_runs('haswell'): pytest.skip('needs an x86-64 host with AVX2 and FMA to run code built for Haswell')
    return vector_census(n=2000, repeat=1, jobs=2)['packed']  # two children compiling side by side

@pytest.mark.parametrize('name', sorted(VECTORISED))
def test_hot_loops_compile_to_simd(census, name):
    for kernel in VECTORISED[name]:
        counts = census.get(kernel)
        assert counts, f'{name}: its case did not compile {kernel} (VECTORISED is out of date)'
        assert min(counts) > 0, (f'{name}: {kernel} compiled without packed SIMD arithmetic (per signature: {counts}): '
                                 'its loops now run one element at a time')

# rows at 0.22-0.44x TA-Lib on 1,000,000 bars (ab_ratios, Zen 4, 2026-11-24); a loop that falls back to scalar code at run
# time (LLVM's overlap checks failing on every call, d7dde9d) took ENGULFING from 0.23x to 1.05x, XSIDEGAP3METHODS to 1.32x, while their machine code still had SIMD.
# PERCENTILE (0.39x) rests on `_sorted_replace`'s vector pass; bisection and slide, its fallback past 256 bars, read 1.0x at 30
FAR_UNDER = ['cdlengulfing', 'cdl3outside', 'cdlxsidegap3methods', 'cdlharami', 'linearreg_angle', 'cci', 'mfi', 'dx', 'avgdev',
             'percentile']
LIMIT = 0.8

def test_vectorised_rows_stay_far_under_talib():
    pytest.importorskip('talib')
    # a child process: ab_ratios sets glibc's malloc thresholds (keep_memory), which must not leak into other tests
    code = f'import json; from tradebook.bench.indicators import ab_ratios; print(json.dumps(ab_ratios({FAR_UNDER!r}, rounds=9)))'
    res = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    ratios = {k: v[0] for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}
    assert set(ratios) == set(FAR_UNDER)
    slow = {k: round(v, 2) for k, v in ratios.items() if v > LIMIT}
    assert not slow, f'ours/TA-Lib above {LIMIT} on 1,000,000 bars (all were under 0.45): {slow}; every ratio: {ratios}'

def test_rolling_extremes_shift_in_registers():
    # MAX, MIN, MINMAX, MIDPOINT, WILLR, STOCH, AROON, … build their 8-bar windows in `_win8_max`/`_win8_min`: each vector of
    # bars loaded once, the 2-, 4- and 8-bar windows shifted across lanes in registers (`shufflevector` in LLVM IR, whatever
    # the target). An edit that loses that pass (the sweep back on its slices for every input) keeps every value right and
    # only costs speed (30-bar MIN in cache: 0.54 ms per million bars, 0.87 on the slices), so no value test would see it.
    # (A run-time fallback, the stride test failing for contiguous inputs, would keep the IR: the 02 notebook tests values only)
    from tradebook.bench.indicators import _fresh_child
    code = ('import json, numpy as np\n'
            'from tradebook.kernels import _hilo_into_nb, max_nb\n'
            'from tradebook.kernels_math import minmax_nb\n'
            'x = np.random.default_rng(0).normal(size=500).cumsum(); max_nb(x, 30); minmax_nb(x, 30)\n'
            'print(json.dumps({f.__name__: f.inspect_llvm(f.signatures[0]).count("shufflevector <8 x double>") for f in (_hilo_into_nb, minmax_nb)}))')
    counts = _fresh_child(code)  # an empty numba cache: cached builds carry no IR to inspect
    assert all(c > 0 for c in counts.values()), f'rolling extremes compiled without the register shifts: {counts}'
