"aggregate_sources and aggregate_stream: alignment, robustness, confidence, flags, batch == stream."
import asyncio
import numpy as np
import pandas as pd
import pytest
from tradebook.data import DataError, load_sample
from tradebook.records import MarketData
from tradebook.synthetic import synthetic_ohlcv
from tradebook.aggregate import aggregate_sources, aggregate_stream, collect_stream, ISSUES

def base(n=200, seed=0):
    return synthetic_ohlcv(n, seed=seed, substeps=4)

def scaled(df, f):
    out = df.copy(); out[['open', 'high', 'low', 'close']] *= f; return out

def test_identical_sources_give_the_source_back_with_full_confidence():
    df = base()
    agg = aggregate_sources({'x': df, 'y': df.copy(), 'z': df.copy()})
    pd.testing.assert_frame_equal(agg.bars[['open', 'high', 'low', 'close']], df[['open', 'high', 'low', 'close']], check_freq=False)
    np.testing.assert_allclose(agg.bars['volume'], 3 * df['volume'])
    assert (agg.bars['confidence'] == 1).all() and (agg.bars['source_count'] == 3).all() and (agg.bars['sources'] == 'x,y,z').all()
    assert agg.quality_report()['issue_rate'] == 0

def test_one_bad_source_does_not_move_the_median():
    df = base()
    agg = aggregate_sources({'a': df, 'b': scaled(df, 1.001), 'bad': scaled(df, 3.0)})
    np.testing.assert_allclose(agg.bars['close'], df['close'] * 1.001)   # the middle value
    dev = agg.issues[agg.issues['issue'] == 'deviation']
    assert set(dev['source']) == {'bad'} and len(dev) == len(df)
    np.testing.assert_allclose(dev['value'], 3.0 / 1.001 - 1)
    np.testing.assert_allclose(agg.bars['confidence'], 2 / 3)            # agreement 2/3

def test_tolerance_aligns_skewed_clocks_and_labels_by_the_earliest():
    df = base(50)
    late = df.copy(); late.index = late.index + pd.Timedelta('3s')
    early = df.copy(); early.index = early.index - pd.Timedelta('2s')
    agg = aggregate_sources({'a': df, 'late': late, 'early': early}, tolerance='5s')
    assert len(agg.bars) == 50 and (agg.bars['source_count'] == 3).all()
    assert agg.bars.index.equals(early.index)
    unaligned = aggregate_sources({'a': df, 'late': late}, tolerance='1s')
    assert len(unaligned.bars) == 100 and unaligned.quality_report()['counts']['missing'] == 100

def test_tolerance_wider_than_bar_spacing_is_an_error():
    df = base(20)
    with pytest.raises(DataError, match="source 'a' has two bars within tolerance='2D'"):
        aggregate_sources({'a': df, 'b': df}, tolerance='2D')

def test_missing_bars_lower_coverage_and_redundancy():
    df = base(30)
    agg = aggregate_sources({'a': df, 'b': df.drop(df.index[5]), 'c': df.drop(df.index[[5, 6]])})
    assert agg.bars['source_count'].iloc[5] == 1 and agg.bars['sources'].iloc[5] == 'a'
    assert agg.bars['confidence'].iloc[5] == pytest.approx(1 / 3 * 1 / 3)
    assert agg.bars['confidence'].iloc[6] == pytest.approx(2 / 3 * 2 / 3)
    q = agg.quality_report()
    assert q['counts']['missing'] == 3 and q['bars_with_issues'] == 2 and q['issue_rate'] == pytest.approx(2 / 30)
    assert q['by_source']['c']['missing'] == 2 and q['by_source']['a']['missing'] == 0

def test_stale_feed_is_flagged_from_the_repeat_threshold():
    df = base(40)
    frozen = df.copy(); frozen.iloc[10:16] = frozen.iloc[9].to_numpy()
    agg = aggregate_sources({'a': df, 'b': df.copy(), 'f': frozen}, stale_after=2)
    st = agg.issues[agg.issues['issue'] == 'stale']
    assert st['timestamp'].tolist() == list(df.index[11:16]) and set(st['source']) == {'f'}
    assert agg.bars['confidence'].iloc[12] < 1

def test_outlier_is_causal_and_found():
    df = base(300, seed=3)
    spike = df.copy(); spike.iloc[250:, :4] *= 1.3    # a 30% gap up at bar 250 in every source
    agg = aggregate_sources({'a': spike, 'b': spike.copy(), 'c': spike.copy()}, z_window=50, z_threshold=5)
    out = agg.issues[agg.issues['issue'] == 'outlier']
    assert df.index[250] in set(out['timestamp'])
    # cutting off the future never changes earlier flags or bars
    cut = aggregate_sources({'a': spike.iloc[:260], 'b': spike.iloc[:260], 'c': spike.iloc[:260]}, z_window=50, z_threshold=5)
    pd.testing.assert_frame_equal(cut.bars, agg.bars.iloc[:260])
    pd.testing.assert_frame_equal(cut.issues, agg.issues[agg.issues['timestamp'] < df.index[260]].reset_index(drop=True))

def test_consensus_is_valid_ohlcv_even_when_sources_disagree():
    a, b, c = base(500, 1), base(500, 2), base(500, 3)
    agg = aggregate_sources({'a': a, 'b': b, 'c': c}, max_deviation=0.5)
    from tradebook.data import validate_ohlcv
    validate_ohlcv(agg.bars)

def test_invalid_source_is_named():
    df = base(20); bad = df.copy(); bad.iloc[3, 3] = np.nan
    with pytest.raises(DataError, match="source 'bad'"): aggregate_sources({'good': df, 'bad': bad})

@pytest.mark.parametrize('kw,msg', [(dict(tolerance='soon'), "tolerance='soon'"), (dict(tolerance='-1s'), 'must be >= 0'),
                                    (dict(max_deviation=0), 'max_deviation'), (dict(z_window=2), 'z_window'), (dict(stale_after=0), 'stale_after')])
def test_bad_parameters(kw, msg):
    with pytest.raises(ValueError, match=msg): aggregate_sources({'a': base(10)}, **kw)
    with pytest.raises(ValueError, match='non-empty dict'): aggregate_sources({})

# --- streaming ---------------------------------------------------------------------------------------
async def feed(df, symbol='SYN', delays=None):
    for i, bar in enumerate(MarketData.from_frame(df, symbol)):
        await asyncio.sleep(0 if delays is None else delays[i])
        yield bar

def run(streams, **kw):
    return asyncio.run(collect_stream(aggregate_stream(streams, **kw), list(streams)))

def test_stream_equals_batch_with_uneven_arrival():
    df = base(300, 4)
    b = scaled(df, 1.002); b.index = b.index + pd.Timedelta('1s')
    c = df.drop(df.index[[7, 8, 100]]); c = scaled(c, 1.0); c.iloc[50:55, :4] *= 1.2
    c.iloc[200:204] = c.iloc[199].to_numpy()
    rng = np.random.default_rng(0)
    streams = {'a': feed(df, delays=rng.uniform(0, 1e-4, 300)), 'b': feed(b), 'c': feed(c, delays=rng.uniform(0, 2e-4, 300))}
    s = run(streams, tolerance='2s', z_window=20)
    bt = aggregate_sources({'a': df, 'b': b, 'c': c}, tolerance='2s', z_window=20)
    pd.testing.assert_frame_equal(s.bars, bt.bars, check_freq=False, check_dtype=False)
    pd.testing.assert_frame_equal(s.issues.drop(columns='value'), bt.issues.drop(columns='value'), check_dtype=False)
    np.testing.assert_allclose(s.issues['value'].to_numpy(float), bt.issues['value'].to_numpy(float), rtol=1e-9, equal_nan=True)
    assert s.quality_report() == bt.quality_report()

def test_stream_yields_before_the_end():
    got = []
    async def main():
        async def slow(df):
            for bar in MarketData.from_frame(df, 'X'):
                yield bar
                await asyncio.sleep(0.001)
        df = base(20)
        async for row in aggregate_stream({'a': slow(df), 'b': slow(df)}):
            got.append((row['timestamp'], asyncio.get_running_loop().time()))
    asyncio.run(main())
    assert len(got) == 20 and got[0][1] < got[-1][1] - 0.01   # the first bar came out well before the last

def test_stream_source_ending_early_is_missing_not_blocking():
    df = base(30)
    s = run({'a': feed(df), 'b': feed(df.iloc[:10])})
    assert len(s.bars) == 30 and (s.bars['source_count'].iloc[10:] == 1).all()
    assert s.quality_report()['counts']['missing'] == 20

def test_stream_rejects_unsorted_and_naive_bars():
    df = base(10)
    async def unsorted():
        bars = MarketData.from_frame(df, 'X'); bars[3], bars[4] = bars[4], bars[3]
        for b in bars: yield b
    with pytest.raises(DataError, match="source 'u'.*unsorted stream"): run({'u': unsorted()})
    async def naive():
        yield dict(timestamp='2024-01-01 00:00', open=1, high=1, low=1, close=1, volume=1)
    with pytest.raises(DataError, match='no time zone'): run({'n': naive()})

def test_stream_on_real_sample_matches_batch():
    g = load_sample('EURUSD').iloc[:400]
    h = scaled(g, 1.00005)
    s = run({'ask': feed(g, 'EURUSD'), 'mid': feed(h, 'EURUSD')})
    bt = aggregate_sources({'ask': g, 'mid': h})
    pd.testing.assert_frame_equal(s.bars, bt.bars, check_freq=False, check_dtype=False)
    assert set(ISSUES) == set(s.quality_report()['counts'])
