"TA-Lib equality cases for `tradebook.mathops`: (name, ours(d), talib(d), floor), as in test_indicators_talib.py"
import numpy as np
import talib
import tradebook.indicators as ti
import tradebook.mathops as tm

def _ret(d):
    "Log returns of close: in-domain input for EXP, COSH, SINH (and, squashed by tanh, for ACOS/ASIN)"
    return np.diff(np.log(d['close']), prepend=np.log(d['close'][0]))

def _unit(d): return np.tanh(_ret(d) * 50)

def _int_warm(r, lookback):
    "TA-Lib's integer output as float with NaN for the warm-up, where the wrapper leaves 0 (tradebook returns NaN there)"
    r = r.astype(float); r[:lookback] = np.nan
    return r

CASES = [
    ('add', lambda d: ti.add(d['high'], d['low']), lambda d: talib.ADD(d['high'], d['low']), False),
    ('sub', lambda d: ti.sub(d['high'], d['low']), lambda d: talib.SUB(d['high'], d['low']), True),
    ('mult', lambda d: ti.mult(d['close'], d['volume']), lambda d: talib.MULT(d['close'], d['volume']), False),
    ('div', lambda d: ti.div(d['close'], d['open']), lambda d: talib.DIV(d['close'], d['open']), False),
    ('cumsum', lambda d: ti.cumsum(d['close']), lambda d: talib.CUMSUM(d['close']), False),
    ('cumsum_ret', lambda d: ti.cumsum(_ret(d)), lambda d: talib.CUMSUM(_ret(d)), 'unit'),
    ('acos', lambda d: ti.acos(_unit(d)), lambda d: talib.ACOS(_unit(d)), False),
    ('asin', lambda d: ti.asin(_unit(d)), lambda d: talib.ASIN(_unit(d)), 'unit'),
    ('atan', lambda d: ti.atan(d['close']), lambda d: talib.ATAN(d['close']), False),
    ('atan_ret', lambda d: ti.atan(_ret(d)), lambda d: talib.ATAN(_ret(d)), 'unit'),
    ('ceil', lambda d: ti.ceil(d['close']), lambda d: talib.CEIL(d['close']), False),
    ('floor', lambda d: ti.floor(d['close']), lambda d: talib.FLOOR(d['close']), False),
    ('cos', lambda d: ti.cos(d['close']), lambda d: talib.COS(d['close']), 'unit'),
    ('sin', lambda d: ti.sin(d['close']), lambda d: talib.SIN(d['close']), 'unit'),
    ('tan', lambda d: ti.tan(d['close']), lambda d: talib.TAN(d['close']), False),
    ('cosh', lambda d: ti.cosh(_ret(d)), lambda d: talib.COSH(_ret(d)), False),
    ('sinh', lambda d: ti.sinh(_ret(d)), lambda d: talib.SINH(_ret(d)), 'unit'),
    ('tanh', lambda d: ti.tanh(_ret(d)), lambda d: talib.TANH(_ret(d)), 'unit'),
    ('exp', lambda d: ti.exp(_ret(d)), lambda d: talib.EXP(_ret(d)), False),
    ('exp_scaled', lambda d: ti.exp(d['close'] / d['close'].max()), lambda d: talib.EXP(d['close'] / d['close'].max()), False),
    ('ln', lambda d: ti.ln(d['close']), lambda d: talib.LN(d['close']), False),
    ('log10', lambda d: ti.log10(d['volume'] + 1), lambda d: talib.LOG10(d['volume'] + 1), False),
    ('sqrt', lambda d: ti.sqrt(d['close']), lambda d: talib.SQRT(d['close']), False),
    ('minmax', lambda d: ti.minmax(d['close']), lambda d: talib.MINMAX(d['close']), False),
    ('minmax_5', lambda d: ti.minmax(d['high'], 5), lambda d: talib.MINMAX(d['high'], 5), False),
    ('avgdev', lambda d: ti.avgdev(d['close']), lambda d: talib.AVGDEV(d['close']), False),
    ('avgdev_40', lambda d: ti.avgdev(d['high'], 40), lambda d: talib.AVGDEV(d['high'], 40), False),
    ('percentile', lambda d: ti.percentile(d['close']), lambda d: talib.PERCENTILE(d['close']), False),
    ('percentile_20_90', lambda d: ti.percentile(d['close'], 20, 90.0), lambda d: talib.PERCENTILE(d['close'], 20, 90.0), False),
    ('percentile_150_5', lambda d: ti.percentile(d['low'], 150, 5.0), lambda d: talib.PERCENTILE(d['low'], 150, 5.0), False),
    ('percentrank', lambda d: ti.percentrank(d['close']), lambda d: talib.PERCENTRANK(d['close']), False),
    ('percentrank_10', lambda d: ti.percentrank(d['volume'], 10), lambda d: talib.PERCENTRANK(d['volume'], 10), False),
    # MAXINDEX, MININDEX, MINMAXINDEX are private for now (see 03f_mathops, "Rolling extremes"): TA-Lib's numbering, bit for bit
    ('maxindex', lambda d: tm.maxindex(d['close']), lambda d: _int_warm(talib.MAXINDEX(d['close']), 29), False),
    ('minindex_7', lambda d: tm.minindex(d['close'], 7), lambda d: _int_warm(talib.MININDEX(d['close'], 7), 6), False),
    ('minmaxindex', lambda d: tm.minmaxindex(d['close']),
     lambda d: tuple(_int_warm(r, 29) for r in talib.MINMAXINDEX(d['close'])), False),
    ('minmaxindex_3', lambda d: tm.minmaxindex(d['high'], 3),
     lambda d: tuple(_int_warm(r, 2) for r in talib.MINMAXINDEX(d['high'], 3)), False),
]
