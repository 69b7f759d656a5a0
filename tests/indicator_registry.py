"The public indicator functions, found once for every indicator test file"
import inspect
import tradebook.indicators as ti
import tradebook.momentum, tradebook.volatility, tradebook.cycle, tradebook.pattern
import tradebook.mathops, tradebook.trend, tradebook.oscillators, tradebook.volume

import numpy as np
INPUTS = ('open', 'high', 'low', 'close', 'volume', 'real0', 'real1', 'periods')
PAIR = {'real0': 'close', 'real1': 'open'}  # the data two-series indicators (CORREL, BETA) get in the tests

def periods_for(n:int)->np.ndarray:
    "The `periods` input MAVP gets in the tests: 0–39, varying bar to bar (clamped to [2, 30] by MAVP's defaults)"
    return ((np.arange(n) * 7) % 40).astype(float)

# Math transforms whose domain raw prices (~1..3000) leave: ACOS/ASIN need [-1, 1], EXP/COSH/SINH overflow beyond ~710.
# The generic tests feed prices, so these get the same properties on in-domain data in tests/test_mathops.py instead.
DOMAIN_LIMITED = {'acos', 'asin', 'exp', 'cosh', 'sinh'}
# outputs that are positions in the caller's array (TA-Lib's numbering): a leading warm-up of k bars shifts them by k
POSITIONS = {'maxindex', 'minindex', 'minmaxindex'}

def public_indicators()->list:
    "Every public indicator function: (name, function, its input names), sorted by name"
    out = []
    for mod in (ti, tradebook.momentum, tradebook.volatility, tradebook.cycle, tradebook.pattern,
                tradebook.mathops, tradebook.trend, tradebook.oscillators, tradebook.volume):
        for name in mod.__all__:
            fn = getattr(mod, name)
            if not callable(fn) or name == 'add_indicators' or (mod is tradebook.mathops and name in DOMAIN_LIMITED): continue
            ins = [p for p in inspect.signature(fn).parameters if p in INPUTS]
            if ins: out.append((name, fn, ins))
    return sorted(out, key=lambda t: t[0])
