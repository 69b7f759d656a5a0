"Every compiled kernel names its fastmath flags, so its rounding cannot depend on which caller compiled it first"
import importlib, pytest
from numba.core.registry import CPUDispatcher

MODULES = ['tradebook.kernels', 'tradebook.kernels_momentum', 'tradebook.kernels_cycle', 'tradebook.kernels_pattern',
           'tradebook.kernels_math', 'tradebook.kernels_trend', 'tradebook.kernels_osc', 'tradebook.kernels_volume']

def _kernels(modname):
    mod = importlib.import_module(modname)
    return [(n, f) for n, f in vars(mod).items() if isinstance(f, CPUDispatcher) and f.__module__ == modname]

@pytest.mark.parametrize('modname', MODULES)
def test_every_kernel_names_its_fastmath(modname):
    # numba hands a callee that sets no `fastmath` the flags of the caller that compiles it first (and caches that build):
    # MAMA compiled first inside ma_nb (FMA) stopped matching TA-Lib bit for bit. inline='always' helpers are inlined
    # into the caller's IR and take its flags by design.
    ks = _kernels(modname)
    assert len(ks) >= 5
    loose = [n for n, f in ks if 'fastmath' not in f.targetoptions and f.targetoptions.get('inline') != 'always']
    assert not loose, f'{modname}: kernels without explicit fastmath: {loose}'

def test_mama_keeps_its_rounding_after_ma_compiles_it():
    # the case that found the rule: compiling ma_nb (FMA) compiles mama_nb too; MAMA must still equal TA-Lib bit for bit
    np = pytest.importorskip('numpy'); talib = pytest.importorskip('talib')
    from tradebook.kernels import ma_nb
    from tradebook.kernels_cycle import mama_nb
    x = 100 + np.random.default_rng(5).normal(size=3000).cumsum()
    ma_nb(x, 9, 0)
    for a, b in zip(mama_nb(x, 0.5, 0.05), talib.MAMA(x)): np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ma_nb(x, 9, 7), talib.MA(x, 9, 7))
