"Every defect class of `validate_ohlcv`: the error names the defect, the column, the first offending timestamps and the row count."
import io, json
import numpy as np
import pandas as pd
import pytest
from tradebook.data import (DataError, DEFECTS, REPAIRS, check_ohlcv, validate_ohlcv, load_ohlcv, load_sample,
                            normalise_columns)

N = 10
IDX = pd.date_range('2024-01-01', periods=N, freq='D', tz='UTC')

def clean(n=N):
    rng = np.random.default_rng(0)
    close = 100 + rng.normal(0, 1, n).cumsum()
    open_ = np.r_[100, close[:-1]]
    return pd.DataFrame({'open': open_, 'high': np.maximum(open_, close) + 0.5, 'low': np.minimum(open_, close) - 0.5,
                         'close': close, 'volume': rng.integers(100, 1000, n).astype(float)},
                        index=pd.date_range('2024-01-01', periods=n, freq='D', tz='UTC', name='timestamp'))

def ts(i): return str(IDX[i])

def err(df, **kw):
    with pytest.raises(DataError) as e: validate_ohlcv(df, **kw)
    return str(e.value)

def test_clean_frame_passes_and_is_canonical():
    df = clean()
    out = validate_ohlcv(df)
    pd.testing.assert_frame_equal(out, df, check_freq=False)
    assert list(out.columns) == ['open', 'high', 'low', 'close', 'volume']
    assert str(out.index.tz) == 'UTC' and out.index.name == 'timestamp'
    assert check_ohlcv(df).ok and check_ohlcv(df).issues == []

def test_ints_become_float64_and_extras_are_kept_after_ohlcv():
    df = clean().round().astype(int); df['high'] += 1; df['low'] -= 1
    df.insert(0, 'adj_close', df['close'] * 0.9)
    out = validate_ohlcv(df)
    assert list(out.columns) == ['open', 'high', 'low', 'close', 'volume', 'adj_close']
    assert (out.dtypes.iloc[:5] == np.float64).all()

def test_caller_frame_is_never_mutated():
    df = clean(); df.iloc[2, 3] = np.nan; df.index = df.index[[0, 1, 2, 4, 3, 5, 6, 7, 8, 9]]
    before = df.copy(deep=True)
    validate_ohlcv(df, repair=['sort', 'ffill'])
    pd.testing.assert_frame_equal(df, before)

# --- structure -----------------------------------------------------------------------------------
def test_missing_column():
    msg = err(clean().drop(columns='volume'))
    assert "missing_column" in msg and "column 'volume'" in msg and f"{N} rows" in msg

def test_misnamed_column_suggests_the_near_name():
    msg = err(clean().rename(columns={'close': 'clsoe'}))
    assert "missing_column" in msg and "column 'close'" in msg and "did you mean 'clsoe'" in msg

def test_duplicate_columns_after_normalisation():
    df = clean(); df['Close'] = df['close']
    msg = err(df)
    assert 'duplicate_column' in msg and "column 'close'" in msg

def test_missing_timestamps():
    msg = err(clean().reset_index(drop=True))
    assert 'missing_timestamps' in msg and "'timestamp'" in msg

def test_empty_frame():
    msg = err(clean().iloc[:0])
    assert 'empty' in msg and '0 rows' in msg

def test_too_few_rows_for_a_window():
    msg = err(clean(), min_rows=30)
    assert 'too_few_rows' in msg and 'min_rows=30' in msg and f'got {N}' in msg
    assert len(validate_ohlcv(clean(), min_rows=N)) == N

def test_multiple_symbols_in_one_frame():
    df = clean(); df['symbol'] = ['A'] * 5 + ['B'] * 5
    msg = err(df)
    assert 'multiple_symbols' in msg and "column 'symbol'" in msg and 'split_symbols' in msg

# --- values ---------------------------------------------------------------------------------------
def test_non_numeric():
    df = clean(); df['close'] = df['close'].astype(object); df.iloc[3, 3] = 'abc'; df.iloc[5, 3] = '1,5'
    msg = err(df)
    assert "non_numeric" in msg and "column 'close'" in msg and '2 rows' in msg
    assert f"first at {ts(3)} ('abc'), {ts(5)} ('1,5')" in msg

def test_nan():
    df = clean(); df.iloc[[2, 7], 0] = np.nan
    msg = err(df)
    assert "nan (a missing value (NaN)) in column 'open': 2 rows" in msg and f'first at {ts(2)}, {ts(7)}' in msg

@pytest.mark.parametrize('val', [np.inf, -np.inf])
def test_inf(val):
    df = clean(); df.iloc[4, 4] = val
    msg = err(df)
    assert "inf" in msg and "column 'volume'" in msg and '1 row' in msg and f'first at {ts(4)} ({val!r})' in msg

@pytest.mark.parametrize('val', [0.0, -3.0])
def test_nonpositive_prices(val):
    df = clean(); df.iloc[6, 2] = val
    msg = err(df)
    assert "nonpositive_price" in msg and "column 'low'" in msg and '1 row' in msg and f'first at {ts(6)}' in msg

def test_negative_volume():
    df = clean(); df.iloc[[1, 8], 4] = -1
    msg = err(df)
    assert "negative_volume" in msg and "column 'volume'" in msg and '2 rows' in msg and f'first at {ts(1)} (-1.0), {ts(8)}' in msg

def test_high_below_open_or_close():
    df = clean(); df.iloc[5, 1] = df.iloc[5, [0, 3]].max() - 0.01
    msg = err(df)
    assert "high_below_open_close" in msg and "column 'high'" in msg and '1 row' in msg and f'first at {ts(5)}' in msg

def test_low_above_open_or_close():
    df = clean(); df.iloc[[0, 9], 2] = df.iloc[[0, 9], [0, 3]].min(axis=1) + 0.01
    msg = err(df)
    assert "low_above_open_close" in msg and "column 'low'" in msg and '2 rows' in msg and f'first at {ts(0)}' in msg

# --- timestamps -----------------------------------------------------------------------------------
def test_duplicate_timestamps():
    df = clean(); df.index = IDX[[0, 1, 2, 3, 3, 5, 6, 7, 7, 9]].rename('timestamp')
    msg = err(df)
    assert "duplicate_timestamps" in msg and "column 'timestamp'" in msg and '2 rows' in msg and f'first at {ts(3)}, {ts(7)}' in msg

def test_unsorted_timestamps():
    df = clean(); df.index = IDX[[0, 1, 2, 4, 3, 5, 6, 7, 8, 9]].rename('timestamp')
    msg = err(df)
    assert "unsorted_timestamps" in msg and "column 'timestamp'" in msg and '1 row' in msg and f'first at {ts(3)}' in msg

def test_future_timestamps():
    msg = err(clean(), now='2024-01-08')
    assert "future_timestamps" in msg and "column 'timestamp'" in msg and '2 rows' in msg and f'first at {ts(8)}, {ts(9)}' in msg

def test_future_uses_the_clock_by_default():
    df = clean(); df.index = pd.date_range(pd.Timestamp.now(tz='UTC') - pd.Timedelta(days=5), periods=N, freq='D', name='timestamp')
    assert 'future_timestamps' in err(df)

def test_naive_timestamps_need_tz():
    df = clean(); df.index = df.index.tz_localize(None)
    msg = err(df)
    assert "naive_timestamps" in msg and "column 'timestamp'" in msg and f'{N} rows' in msg and "tz='UTC'" in msg
    out = validate_ohlcv(df, tz='Europe/Berlin')
    assert str(out.index[0]) == '2023-12-31 23:00:00+00:00'

def test_mixed_timezones():
    s = [f'2024-01-{d:02d} 10:00:00+00:00' for d in range(1, 11)]
    s[4] = '2024-01-05 10:00:00'; s[6] = '2024-01-07 10:00:00'
    df = clean().reset_index(drop=True); df.insert(0, 'timestamp', s)
    msg = err(df)
    assert "mixed_timezones" in msg and "column 'timestamp'" in msg and '2 rows' in msg
    assert "first at row 4 ('2024-01-05 10:00:00'), row 6" in msg

def test_different_offsets_are_instants_not_mixed():
    df = clean().reset_index(drop=True)
    df.insert(0, 'timestamp', [f'2024-01-{d:02d}T10:00:00{"+01:00" if d % 2 else "Z"}' for d in range(1, 11)])
    out = validate_ohlcv(df)
    assert str(out.index[0]) == '2024-01-01 09:00:00+00:00' and str(out.index[1]) == '2024-01-02 10:00:00+00:00'

def test_aware_non_utc_index_is_converted():
    df = clean(); df.index = df.index.tz_convert('Asia/Tokyo')
    out, rep = validate_ohlcv(df, return_report=True)
    assert out.index.equals(IDX) and any('Asia/Tokyo' in n for n in rep.notes)

def test_bad_timestamps():
    df = clean().reset_index(drop=True)
    df.insert(0, 'timestamp', [str(t) for t in IDX]); df.loc[3, 'timestamp'] = 'not a date'; df.loc[5, 'timestamp'] = None
    msg = err(df)
    assert "bad_timestamps" in msg and "column 'timestamp'" in msg and '2 rows' in msg and "first at row 3 ('not a date'), row 5" in msg

def test_numeric_timestamps_are_refused_with_advice():
    df = clean().reset_index(drop=True); df.insert(0, 'timestamp', IDX.asi8 // 10**9)
    assert "unit='s'" in err(df)

def test_dst_ambiguous_wall_time():
    df = clean(3); df.index = pd.DatetimeIndex(['2024-11-03 00:30', '2024-11-03 01:30', '2024-11-03 02:30'], name='timestamp')
    msg = err(df, tz='America/New_York')
    assert 'bad_timestamps' in msg and '2024-11-03 01:30:00' in msg and 'daylight-saving' in msg

def test_gaps_are_reported_not_errors():
    df = clean(); df.index = IDX[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]] + pd.to_timedelta([0] * 5 + [20] * 5, unit='D')
    df.index.name = 'timestamp'
    out, rep = validate_ohlcv(df, return_report=True)
    assert len(out) == N and rep.ok
    g = [i for i in rep.issues if i.defect == 'gaps'][0]
    assert g.severity == 'warning' and g.count == 1 and g.first == [ts(4)] and '21 days' in g.hint

def test_every_defect_has_a_description_and_every_repair_a_known_defect():
    assert all(d in DEFECTS for ds in REPAIRS.values() for d in ds)

# --- repairs -------------------------------------------------------------------------------------
def test_repair_sort_and_dedupe():
    df = clean(); df.index = IDX[[0, 1, 2, 4, 3, 5, 5, 7, 8, 9]].rename('timestamp')
    out, rep = validate_ohlcv(df, repair=['sort', 'dedupe'], return_report=True)
    assert out.index.is_monotonic_increasing and out.index.is_unique and len(out) == 9
    assert out.loc[IDX[5], 'close'] == df['close'].iloc[6]   # dedupe keeps the last row
    assert [(r['repair'], r['rows']) for r in rep.repairs] == [('sort', 1), ('dedupe', 1)]

def test_repair_ffill():
    df = clean(); df.iloc[4, 3] = np.nan; df.iloc[4, 4] = np.inf
    df.iloc[4, 1] = max(df.iloc[4, 1], df.iloc[3, 3]); df.iloc[4, 2] = min(df.iloc[4, 2], df.iloc[3, 3])
    out, rep = validate_ohlcv(df, repair='ffill', return_report=True)
    assert out.iloc[4, 3] == df.iloc[3, 3] and out.iloc[4, 4] == 0.0
    assert {(r['column'], r['rows']) for r in rep.repairs} == {('close', 1), ('volume', 1)}

def test_repair_ffill_leaves_a_leading_nan_as_an_error():
    df = clean(); df.iloc[0, 0] = np.nan
    msg = err(df, repair='ffill')
    assert 'after repair' in msg and "nan" in msg and ts(0) in msg

def test_repair_clip():
    df = clean(); df.iloc[2, 1] = df.iloc[2, [0, 3]].max() - 1
    out = validate_ohlcv(df, repair='clip')
    assert out.iloc[2, 1] == df.iloc[2, [0, 3]].max()

def test_repair_drop_reports_each_reason():
    df = clean(); df.iloc[1, 0] = np.nan; df.iloc[3, 0] = -1; df.iloc[5, 4] = -2
    out, rep = validate_ohlcv(df, repair='drop', return_report=True)
    assert len(out) == N - 3 and IDX[3] not in out.index
    assert {r['defect']: r['rows'] for r in rep.repairs} == {'nan/inf/non_numeric': 1, 'nonpositive_price': 1, 'negative_volume': 1}
    assert 'repaired (drop)' in str(rep)

def test_repair_never_covers_what_it_cannot_fix():
    df = clean(); df.iloc[1, 0] = np.nan; df.index = df.index.tz_localize(None)
    msg = err(df, repair='drop')
    assert "does not fix ['naive_timestamps']" in msg

def test_drop_then_too_few_rows():
    df = clean(); df.iloc[:3, 0] = np.nan
    msg = err(df, repair='drop', min_rows=9)
    assert 'too_few_rows' in msg and 'got 7' in msg

def test_unknown_repair_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown repair 'fix'"): validate_ohlcv(clean(), repair='fix')

def test_report_is_json_and_readable():
    df = clean(); df.iloc[2, 0] = np.nan
    rep = check_ohlcv(df)
    d = json.loads(json.dumps(rep.to_dict()))
    assert d['ok'] is False and d['counts'] == {'nan': 1} and d['issues'][0]['first'] == [ts(2)]
    assert 'ERROR: nan' in str(rep)

def test_not_a_frame():
    with pytest.raises(TypeError, match='DataFrame'): validate_ohlcv(np.zeros((3, 5)))
