"Streaming equals batch; the disk cache keys on data and configuration."
import numpy as np, pandas as pd, pytest
from tradebook.data import load_sample
from tradebook.features import default_feature_set
pytest.importorskip('tradebook.indicators', reason='the technical family needs tradebook.indicators')
from tradebook.feature_store import FeatureStream, FeatureCache

@pytest.mark.parametrize('name', ['GOOGL', 'EURUSD'])
def test_stream_equals_batch_last_row(name):
    df = load_sample(name); fe = default_feature_set()
    F = fe.transform(df).to_numpy(); k = 120
    fs = FeatureStream(fe, df.iloc[:-k])
    rows = np.array([fs.update(df.iloc[i]) for i in range(len(df) - k, len(df))])
    B = F[-k:]; scale = np.nanstd(F, axis=0) + 1e-12
    err = np.abs(rows - B) / (np.abs(B) + scale + 1e-300)
    j = np.nanargmax(err.max(0))
    assert err.max() < 1e-6, (fe.get_feature_names_out()[j], err.max())
    assert np.isfinite(rows).all()

def test_stream_validates_bars():
    df = load_sample('GOOGL'); fs = FeatureStream(default_feature_set(), df)
    with pytest.raises(ValueError, match='is not after the last bar'): fs.update(df.iloc[-1])
    with pytest.raises(ValueError, match="missing a numeric 'volume'"):
        fs.update(dict(open=1, high=1, low=1, close=1), timestamp='2030-01-01')

def test_cache_roundtrip(tmp_path):
    df = load_sample('GOOGL').iloc[:800]; fe = default_feature_set(); c = FeatureCache(tmp_path)
    a = c.transform(fe, df); b = c.transform(fe, df)
    assert (c.hits, c.misses) == (1, 1)
    pd.testing.assert_frame_equal(a, b)
    df2 = df.copy(); df2.iloc[-1, 3] *= 1.001
    c.transform(fe, df2); assert c.misses == 2
