"Loaders (CSV/Parquet, column names, several symbols) and resample_ohlcv checked against pandas."
import io
import numpy as np
import pandas as pd
import pytest
from tradebook.data import (DataError, load_ohlcv, load_sample, load_symbols, split_symbols, stack_symbols,
                            resample_ohlcv, validate_ohlcv, sample_path)

def yahoo_csv():
    return ("Date,Open,High,Low,Close,Adj Close,Volume\n"
            "2024-01-02,10,11,9,10.5,10.4,100\n2024-01-03,10.5,12,10,11.5,11.4,200\n2024-01-04,11.5,12,11,11.8,11.7,300\n")

def test_yahoo_columns_keep_adj_close():
    df = load_ohlcv(io.StringIO(yahoo_csv()), tz='UTC')
    assert list(df.columns) == ['open', 'high', 'low', 'close', 'volume', 'adj_close']
    assert df['adj_close'].tolist() == [10.4, 11.4, 11.7] and df.index.name == 'timestamp'

@pytest.mark.parametrize('header', ['timestamp,open,high,low,close,volume', 'Datetime,OPEN,HIGH,LOW,CLOSE,VOLUME',
                                    'time,o,h,l,c,v', 'date_time,Open,High,Low,Close,Vol'])
def test_column_spellings(header):
    body = '2024-01-02T10:00:00Z,10,11,9,10.5,100\n2024-01-02T11:00:00Z,10.5,12,10,11.5,200\n'
    df = load_ohlcv(io.StringIO(header + '\n' + body))
    assert list(df.columns) == ['open', 'high', 'low', 'close', 'volume']
    assert str(df.index[1]) == '2024-01-02 11:00:00+00:00' and df['close'].iloc[1] == 11.5

def test_parquet_path_and_buffer(tmp_path):
    g = load_sample('GOOGL')
    p = tmp_path/'g.parquet'; g.to_parquet(p)
    pd.testing.assert_frame_equal(load_ohlcv(p), g, check_freq=False)
    buf = io.BytesIO(p.read_bytes())
    pd.testing.assert_frame_equal(load_ohlcv(buf), g, check_freq=False)   # sniffed as Parquet

def test_csv_gz(tmp_path):
    p = tmp_path/'y.csv.gz'; pd.read_csv(io.StringIO(yahoo_csv())).to_csv(p, index=False)
    assert len(load_ohlcv(p, tz='UTC')) == 3

def test_validate_false_returns_the_raw_frame_with_normalised_names():
    df = load_ohlcv(io.StringIO(yahoo_csv()), validate=False)
    assert list(df.columns) == ['timestamp', 'open', 'high', 'low', 'close', 'adj_close', 'volume']
    assert df['timestamp'].iloc[0] == '2024-01-02'

def test_load_validates_by_default():
    with pytest.raises(DataError, match='naive_timestamps'): load_ohlcv(io.StringIO(yahoo_csv()))
    with pytest.raises(DataError, match='too_few_rows'): load_ohlcv(io.StringIO(yahoo_csv()), tz='UTC', min_rows=5)

def long_frame():
    g, e = load_sample('GOOGL').iloc[:50], load_sample('EURUSD').iloc[:80]
    return pd.concat([g.assign(Ticker='GOOGL'), e.assign(Ticker='EURUSD')]).reset_index()

def test_multi_symbol_file(tmp_path):
    p = tmp_path/'long.parquet'; long_frame().to_parquet(p)
    with pytest.raises(DataError, match='holds 2 symbols'): load_ohlcv(p)
    e = load_ohlcv(p, symbol='eurusd')
    assert len(e) == 80 and e.attrs['symbol'] == 'EURUSD' and 'symbol' not in e.columns
    with pytest.raises(DataError, match="symbol='AAPL' is not in"): load_ohlcv(p, symbol='AAPL')
    parts = load_symbols(p)
    assert {k: len(v) for k, v in parts.items()} == {'EURUSD': 80, 'GOOGL': 50}
    pd.testing.assert_frame_equal(parts['GOOGL'], load_sample('GOOGL').iloc[:50], check_freq=False)

def test_dict_multiindex_round_trip():
    frames = {'googl': load_sample('GOOGL').iloc[:30], 'EURUSD': load_sample('EURUSD').iloc[:40]}
    st = stack_symbols(frames)
    assert st.index.names == ['symbol', 'timestamp'] and st.loc['GOOGL'].shape == (30, 5)
    back = split_symbols(st)
    assert list(back) == ['EURUSD', 'GOOGL']
    pd.testing.assert_frame_equal(back['GOOGL'], frames['googl'], check_freq=False)

def test_split_names_the_bad_symbol_and_missing_symbols():
    lf = long_frame(); lf.loc[60, 'close'] = np.nan
    with pytest.raises(DataError, match="(?s)symbol 'EURUSD'.*nan"): split_symbols(lf, symbol_col='Ticker')
    lf = long_frame(); lf.loc[7, 'Ticker'] = None
    with pytest.raises(DataError, match='missing symbol.*first at row 7'): split_symbols(lf, symbol_col='Ticker')

def test_sample_path_exists_and_unknown_sample():
    assert sample_path('googl').exists()
    with pytest.raises(ValueError, match='unknown sample'): sample_path('SPY')

# --- resampling against pandas ---------------------------------------------------------------------
@pytest.mark.parametrize('name,rule', [('EURUSD', '4h'), ('EURUSD', '1D'), ('GOOGL', 'W-FRI'), ('GOOGL', 'MS')])
def test_resample_matches_pandas(name, rule):
    df = load_sample(name)
    out = resample_ohlcv(df, rule)
    r = df.resample(rule)
    ref = pd.DataFrame({'open': r['open'].first(), 'high': r['high'].max(), 'low': r['low'].min(),
                        'close': r['close'].last(), 'volume': r['volume'].sum()}).loc[r['close'].count() > 0]
    ref.index.name = 'timestamp'
    pd.testing.assert_frame_equal(out, ref, check_freq=False)
    # and pandas' own ohlc() of the closes agrees on the close column
    np.testing.assert_array_equal(out['close'].to_numpy(), df['close'].resample(rule).ohlc().dropna()['close'].to_numpy())
    validate_ohlcv(out)

def test_resample_ticks_equal_pandas_ohlc():
    rng = np.random.default_rng(1)
    px = 100 + rng.normal(0, 0.1, 500).cumsum()
    idx = pd.date_range('2024-01-02 09:30', periods=500, freq='7s', tz='UTC', name='timestamp')
    ticks = pd.DataFrame({'open': px, 'high': px, 'low': px, 'close': px, 'volume': 1.0}, index=idx)
    out = resample_ohlcv(ticks, '1min')
    ohlc = ticks['close'].resample('1min').ohlc()
    np.testing.assert_allclose(out[['open', 'high', 'low', 'close']].to_numpy(), ohlc.to_numpy())
    assert out['volume'].sum() == 500

def test_resample_keeps_adj_close_and_drops_empty_periods():
    df = load_ohlcv(io.StringIO(yahoo_csv()), tz='UTC')
    out = resample_ohlcv(df, '1D')
    assert len(out) == 3 and out['adj_close'].tolist() == [10.4, 11.4, 11.7]
    g = load_sample('GOOGL'); d = resample_ohlcv(g, '1D')
    assert len(d) == len(g)   # weekends are left out, not NaN rows

def test_resample_errors():
    with pytest.raises(DataError, match="rule='nope'"): resample_ohlcv(load_sample('GOOGL'), 'nope')
    with pytest.raises(DataError, match='DatetimeIndex'): resample_ohlcv(load_sample('GOOGL').reset_index(), '1D')
