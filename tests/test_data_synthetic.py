"Synthetic market: determinism, OHLC consistency and the statistics it was asked for."
import numpy as np
import pandas as pd
import pytest
from tradebook.data import validate_ohlcv, split_symbols
from tradebook.synthetic import synthetic_ohlcv, stationary_distribution, DEFAULT_TRANSITIONS, DEFAULT_PARAMS, REGIMES

def test_same_seed_same_market_and_regimes():
    a, ra = synthetic_ohlcv(300, n_assets=3, seed=11, return_regimes=True)
    b, rb = synthetic_ohlcv(300, n_assets=3, seed=11, return_regimes=True)
    pd.testing.assert_frame_equal(a, b); pd.testing.assert_series_equal(ra, rb)
    c = synthetic_ohlcv(300, n_assets=3, seed=12)
    assert not np.allclose(a['close'].to_numpy(), c['close'].to_numpy())

def test_generator_is_the_only_randomness():
    np.random.seed(0); a = synthetic_ohlcv(100, rng=np.random.default_rng(5))
    np.random.seed(1); b = synthetic_ohlcv(100, rng=np.random.default_rng(5))
    pd.testing.assert_frame_equal(a, b)
    g = np.random.default_rng(5); first = synthetic_ohlcv(100, rng=g); second = synthetic_ohlcv(100, rng=g)
    pd.testing.assert_frame_equal(first, a)
    assert not first.equals(second)   # the generator advanced

def test_ohlc_consistent_and_canonical_for_every_asset():
    df = synthetic_ohlcv(2000, n_assets=4, corr=0.3, seed=2, jump_rate=50)   # many jumps
    assert df.index.names == ['symbol', 'timestamp']
    parts = split_symbols(df)   # validates each symbol
    assert list(parts) == ['SYN0', 'SYN1', 'SYN2', 'SYN3'] and all(len(p) == 2000 for p in parts.values())
    for p in parts.values():
        np.testing.assert_array_equal(p['open'].to_numpy()[1:], p['close'].to_numpy()[:-1])

def test_single_substep_has_no_wicks():
    df = synthetic_ohlcv(200, seed=0, substeps=1)
    np.testing.assert_array_equal(df['high'], np.maximum(df['open'], df['close']))
    np.testing.assert_array_equal(df['low'], np.minimum(df['open'], df['close']))

def test_regime_volatilities_ordered_and_close_to_spec():
    df, reg = synthetic_ohlcv(30_000, seed=4, return_regimes=True, jump_rate=0)
    r = np.log(df['close']).diff().iloc[1:]
    vol = r.groupby(reg.iloc[1:]).std() * np.sqrt(252)
    assert vol.is_monotonic_increasing
    np.testing.assert_allclose(vol.to_numpy(), DEFAULT_PARAMS['sigma'], rtol=0.05)

def test_regime_shares_and_durations_follow_the_chain():
    _, reg = synthetic_ohlcv(50_000, seed=5, return_regimes=True, substeps=1)
    share = reg.value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(share, stationary_distribution(DEFAULT_TRANSITIONS), atol=0.05)
    x = reg.to_numpy(); stay = (x[1:] == x[:-1])
    for k in range(3):
        np.testing.assert_allclose(stay[x[:-1] == k].mean(), DEFAULT_TRANSITIONS[k][k], atol=0.01)

def test_bull_drifts_up_bear_down():
    df, reg = synthetic_ohlcv(40_000, seed=6, return_regimes=True, jump_rate=0)
    r = np.log(df['close']).diff().iloc[1:]
    m = r.groupby(reg.iloc[1:]).mean() * 252
    assert m[0] > 0.05 and m[1] < -0.1

@pytest.mark.parametrize('corr', [0.0, 0.6, [[1, .8, -.3], [.8, 1, -.2], [-.3, -.2, 1]]])
def test_correlation_near_requested(corr):
    df = synthetic_ohlcv(20_000, n_assets=3, corr=corr, seed=7, jump_rate=0, substeps=4)
    C = np.log(df['close'].unstack('symbol')).diff().iloc[1:].corr().to_numpy()
    target = np.full((3, 3), corr) if np.ndim(corr) == 0 else np.asarray(corr, float)
    np.fill_diagonal(target, 1)
    np.testing.assert_allclose(C, target, atol=0.03)

def test_jumps_fatten_tails():
    kw = dict(n_bars=20_000, seed=8, transitions=[[1.0]], mu=0.0, sigma=0.2, jump_mean=-0.03, jump_std=0.02, substeps=4)
    calm = np.log(synthetic_ohlcv(jump_rate=0, **kw)['close']).diff().iloc[1:]
    jumpy = np.log(synthetic_ohlcv(jump_rate=20, **kw)['close']).diff().iloc[1:]
    assert abs(calm.kurt()) < 0.3 and jumpy.kurt() > 3 and jumpy.skew() < -0.5

def test_volume_rises_with_volatility():
    df, reg = synthetic_ohlcv(10_000, seed=9, return_regimes=True)
    v = df['volume'].groupby(reg).median()
    assert v.is_monotonic_increasing and v[2] > 3 * v[0]
    assert (df['volume'] > 0).all()

def test_timestamps_end_at_end_and_never_in_the_future():
    df = synthetic_ohlcv(100_000, seed=0, substeps=1)
    assert str(df.index[-1]) == '2024-12-31 00:00:00+00:00' and df.index.is_monotonic_increasing
    validate_ohlcv(df)
    h = synthetic_ohlcv(48, freq='1h', periods_per_year=24 * 260, end='2024-06-03 12:00')
    assert str(h.index[0]) == '2024-06-01 13:00:00+00:00'

def test_custom_symbols_and_start_prices():
    df = synthetic_ohlcv(10, n_assets=2, symbols=['aaa', 'bbb'], s0=[10, 1000], substeps=1)
    assert list(df.index.get_level_values(0).unique()) == ['AAA', 'BBB']
    assert df.loc['AAA', 'open'].iloc[0] == pytest.approx(10) and df.loc['BBB', 'open'].iloc[0] == pytest.approx(1000)

@pytest.mark.parametrize('kw,msg', [
    (dict(n_bars=0), 'n_bars=0'), (dict(n_bars=10, n_assets=0), 'n_assets=0'), (dict(n_bars=10, substeps=0), 'substeps=0'),
    (dict(n_bars=10, n_assets=3, corr=-0.6), 'not a valid correlation'), (dict(n_bars=10, n_assets=2, corr=[[1, 2], [2, 1]]), 'unit diagonal'),
    (dict(n_bars=10, transitions=[[0.5, 0.4], [0.5, 0.5]]), 'sum to 1'), (dict(n_bars=10, sigma=(0.1, 0.2)), 'one value per regime'),
    (dict(n_bars=10, sigma=(0.1, 0, 0.2)), 'volatilities must be > 0'), (dict(n_bars=10, s0=-1), 's0'),
    (dict(n_bars=10, seed=-1), 'seed=-1'), (dict(n_bars=10, rng=42), 'np.random.Generator'),
    (dict(n_bars=10, n_assets=2, symbols=['A', 'A']), 'distinct'), (dict(n_bars=10, freq='nope'), "freq='nope'")])
def test_bad_parameters_are_clear_errors(kw, msg):
    with pytest.raises(ValueError, match=msg): synthetic_ohlcv(**kw)
