"TA-Lib equality cases for `tradebook.trend`: (name, ours(d), talib(d), floor), as in test_indicators_talib.py"
import numpy as np
import talib
import tradebook.indicators as ti

def _int_warm(r, lookback):
    "TA-Lib's integer output as float with NaN for the warm-up, where the wrapper leaves 0 (tradebook returns NaN there)"
    r = r.astype(float); r[:lookback] = np.nan
    return r

def _st(d, p, m):
    line, trend = talib.SUPERTREND(d['high'], d['low'], d['close'], p, m)
    return line, _int_warm(trend, p)

def _fr(d, L, R):
    return tuple(_int_warm(s, L + R) for s in talib.FRACTAL(d['high'], d['low'], L, R))

# All bit-identical to the wheel on the three samples; the floors only say what kind of number each output is.
CASES = [
    ('rma', lambda d: ti.rma(d['close']), lambda d: talib.RMA(d['close']), False),
    ('rma_7', lambda d: ti.rma(d['close'], 7), lambda d: talib.RMA(d['close'], 7), False),
    ('zlema', lambda d: ti.zlema(d['close']), lambda d: talib.ZLEMA(d['close']), False),
    ('zlema_8', lambda d: ti.zlema(d['close'], 8), lambda d: talib.ZLEMA(d['close'], 8), False),
    ('vwma', lambda d: ti.vwma(d['close'], d['volume']), lambda d: talib.VWMA(d['close'], d['volume']), False),
    ('vwma_5', lambda d: ti.vwma(d['close'], d['volume'], 5), lambda d: talib.VWMA(d['close'], d['volume'], 5), False),
    ('accbands', lambda d: ti.accbands(d['high'], d['low'], d['close']), lambda d: talib.ACCBANDS(d['high'], d['low'], d['close']), False),
    ('accbands_5', lambda d: ti.accbands(d['high'], d['low'], d['close'], 5), lambda d: talib.ACCBANDS(d['high'], d['low'], d['close'], 5), False),
    ('kc', lambda d: ti.kc(d['high'], d['low'], d['close']), lambda d: talib.KC(d['high'], d['low'], d['close']), False),
    ('kc_wide_atr', lambda d: ti.kc(d['high'], d['low'], d['close'], 10, 25, 1.5),
     lambda d: talib.KC(d['high'], d['low'], d['close'], 10, 25, 1.5), False),
    ('supertrend', lambda d: ti.supertrend(d['high'], d['low'], d['close']), lambda d: _st(d, 10, 3.0), False),
    ('supertrend_7', lambda d: ti.supertrend(d['high'], d['low'], d['close'], 7, 1.5), lambda d: _st(d, 7, 1.5), False),
    ('ha', lambda d: ti.ha(d['open'], d['high'], d['low'], d['close']), lambda d: talib.HA(d['open'], d['high'], d['low'], d['close']), False),
    ('fractal', lambda d: ti.fractal(d['high'], d['low']), lambda d: _fr(d, 2, 2), False),
    ('fractal_3_1', lambda d: ti.fractal(d['high'], d['low'], 3, 1), lambda d: _fr(d, 3, 1), False),
    ('dpo', lambda d: ti.dpo(d['close']), lambda d: talib.DPO(d['close']), True),
    ('dpo_7', lambda d: ti.dpo(d['close'], 7), lambda d: talib.DPO(d['close'], 7), True),
    ('coppock', lambda d: ti.coppock(d['close']), lambda d: talib.COPPOCK(d['close']), 'osc'),
    ('coppock_4_3_5', lambda d: ti.coppock(d['close'], 4, 3, 5), lambda d: talib.COPPOCK(d['close'], 4, 3, 5), 'osc'),
    ('fosc', lambda d: ti.fosc(d['close']), lambda d: talib.FOSC(d['close']), 'osc'),
    ('fosc_14', lambda d: ti.fosc(d['close'], 14), lambda d: talib.FOSC(d['close'], 14), 'osc'),
    ('vhf', lambda d: ti.vhf(d['close']), lambda d: talib.VHF(d['close']), 'unit'),
    ('vhf_5', lambda d: ti.vhf(d['close'], 5), lambda d: talib.VHF(d['close'], 5), 'unit'),
    ('er', lambda d: ti.er(d['close']), lambda d: talib.ER(d['close']), 'unit'),
    ('er_3', lambda d: ti.er(d['close'], 3), lambda d: talib.ER(d['close'], 3), 'unit'),
]
