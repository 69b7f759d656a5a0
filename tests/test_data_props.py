"Property tests (hypothesis): the validator accepts every valid frame unchanged and names any single injected defect; one corrupted source among >= 3 never drags the consensus outside the honest sources' range."
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from tradebook.data import validate_ohlcv, check_ohlcv, DataError, PRICES
from tradebook.aggregate import aggregate_sources

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pos = st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False)
frac = st.floats(0, 0.2, allow_nan=False)

@st.composite
def ohlcv_frames(draw, min_rows=1, max_rows=40, index=None):
    n = draw(st.integers(min_rows, max_rows)) if index is None else len(index)
    o = np.array(draw(st.lists(pos, min_size=n, max_size=n)))
    c = np.array(draw(st.lists(pos, min_size=n, max_size=n)))
    up = np.array(draw(st.lists(frac, min_size=n, max_size=n)))
    dn = np.array(draw(st.lists(frac, min_size=n, max_size=n)))
    v = np.array(draw(st.lists(st.floats(0, 1e9, allow_nan=False), min_size=n, max_size=n)))
    if index is None:
        steps = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n))
        start = pd.Timestamp('2015-01-01', tz='UTC') + pd.Timedelta(minutes=draw(st.integers(0, 10**6)))
        index = pd.DatetimeIndex(start + pd.to_timedelta(np.cumsum(steps), unit='min'), name='timestamp')
    return pd.DataFrame({'open': o, 'high': np.maximum(o, c) * (1 + up), 'low': np.minimum(o, c) * (1 - dn), 'close': c,
                         'volume': v}, index=index)

@SETTINGS
@given(ohlcv_frames())
def test_any_valid_frame_passes_unchanged(df):
    before = df.copy(deep=True)
    out = validate_ohlcv(df)
    pd.testing.assert_frame_equal(out, df, check_freq=False)
    pd.testing.assert_frame_equal(df, before)
    assert check_ohlcv(df).ok

KINDS = ['nan', 'inf', 'nonpositive_price', 'negative_volume', 'high_below_open_close', 'low_above_open_close',
         'non_numeric', 'duplicate_timestamps', 'unsorted_timestamps', 'future_timestamps']

def inject(df, kind, row, col, data):
    df = df.copy(); n = len(df); idx = df.index.copy()
    label = None   # the timestamp the error must name (None: df.index[row] after injection)
    if kind == 'nan': df.iloc[row, col] = np.nan; column = df.columns[col]
    elif kind == 'inf': df.iloc[row, col] = data.draw(st.sampled_from([np.inf, -np.inf])); column = df.columns[col]
    elif kind == 'nonpositive_price':
        column = PRICES[col % 4]; df.loc[df.index[row], column] = data.draw(st.sampled_from([0.0, -1.0, -1e-9]))
    elif kind == 'negative_volume': column = 'volume'; df.iloc[row, 4] = -data.draw(st.floats(1e-6, 1e6))
    elif kind == 'high_below_open_close':
        column = 'high'; df.iloc[row, 1] = max(df.iloc[row, 0], df.iloc[row, 3]) * (1 - data.draw(st.floats(1e-6, 0.5)))
    elif kind == 'low_above_open_close':
        column = 'low'; df.iloc[row, 2] = min(df.iloc[row, 0], df.iloc[row, 3]) * (1 + data.draw(st.floats(1e-6, 0.5)))
    elif kind == 'non_numeric':
        column = df.columns[col]; df[column] = df[column].astype(object); df.iloc[row, col] = data.draw(st.sampled_from(['x', 'N/A', '1..2', '']))
        if df.iloc[row, col] == '': kind = 'nan'  # an empty string is read as a missing value, not text
        df.iloc[row, col] = np.nan if kind == 'nan' else df.iloc[row, col]
    elif kind == 'duplicate_timestamps':
        row = max(row, 1); column = 'timestamp'; idx = idx.insert(row, idx[row - 1]).delete(row + 1); df.index = idx
    elif kind == 'unsorted_timestamps':
        row = min(row, n - 2); column = 'timestamp'; order = list(range(n)); order[row], order[row + 1] = order[row + 1], order[row]
        df = df.iloc[order]; row = row + 1
    elif kind == 'future_timestamps':
        row = n - 1; column = 'timestamp'; df.index = idx[:-1].append(pd.DatetimeIndex([pd.Timestamp('2999-01-01', tz='UTC')])).rename('timestamp')
    return df, kind, row, column

@SETTINGS
@given(ohlcv_frames(min_rows=3), st.sampled_from(KINDS), st.data())
def test_any_single_defect_is_detected_and_named(df, kind, data):
    row = data.draw(st.integers(0, len(df) - 1)); col = data.draw(st.integers(0, 4))
    bad, kind, row, column = inject(df, kind, row, col, data)
    rep = check_ohlcv(bad)
    found = [i for i in rep.issues if i.defect == kind]
    assert len(found) == 1, (kind, rep)
    issue = found[0]
    assert issue.column == column and issue.count == 1 and issue.first == [str(bad.index[row])], (issue, row)
    with pytest.raises(DataError) as e: validate_ohlcv(bad)
    assert f"{kind} (" in str(e.value) and f"column {column!r}: 1 row, first at {bad.index[row]}" in str(e.value)

@SETTINGS
@given(ohlcv_frames(min_rows=1, max_rows=15), st.data())
def test_one_corrupted_source_stays_inside_the_honest_range(base, data):
    n_honest = data.draw(st.integers(2, 4))
    honest = [data.draw(ohlcv_frames(index=base.index)) for _ in range(n_honest - 1)] + [base]
    corrupt = data.draw(ohlcv_frames(index=base.index))
    if data.draw(st.booleans()):   # the bad source may also miss bars
        keep = data.draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
        if any(keep): corrupt = corrupt[np.array(keep)]
    srcs = {f'h{i}': h for i, h in enumerate(honest)}
    srcs['bad'] = corrupt
    names = list(srcs); data.draw(st.randoms()).shuffle(names)
    agg = aggregate_sources({k: srcs[k] for k in names})
    for c in PRICES:
        hv = np.stack([h[c].to_numpy() for h in honest])
        got = agg.bars[c].to_numpy()
        assert (got >= hv.min(0) * (1 - 1e-12)).all() and (got <= hv.max(0) * (1 + 1e-12)).all(), c
    assert (agg.bars['high'] >= np.maximum(agg.bars['open'], agg.bars['close'])).all()
    assert (agg.bars['low'] <= np.minimum(agg.bars['open'], agg.bars['close'])).all()
