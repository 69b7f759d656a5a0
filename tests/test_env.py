"Property, conformance and learning tests of tradebook.env (TradingEnv) and tradebook.batch_env (BatchTradingEnv)."
import math, os, warnings
import numpy as np
import pandas as pd
import pytest
import gymnasium as gym
from hypothesis import given, settings, strategies as st, HealthCheck
from tradebook.accounting import CostModel
from tradebook.env import TradingEnv, default_features, SELL, HOLD, BUY, S_T, S_PEAK, S_START, S_BORROW, S_EQUITY
from tradebook.batch_env import BatchTradingEnv
from tradebook.data import load_sample

SLOW = pytest.mark.slow   # see tests/conftest.py: --runslow or TRADEBOOK_SLOW=1
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

def frames(seed, T, A, drift=0.0):
    "Random aligned OHLCV frames (positive prices, high/low bracketing open/close)"
    rng = np.random.default_rng(seed)
    idx = pd.date_range('2020-01-01', periods=T, freq='D', tz='UTC', name='timestamp')
    out = {}
    for i in range(A):
        c = 100 * np.exp(np.cumsum(rng.normal(drift, 0.02, T)))
        o = np.r_[c[0], c[:-1]] * np.exp(rng.normal(0, 0.005, T))
        h = np.maximum(o, c) * np.exp(np.abs(rng.normal(0, 0.01, T)))
        l = np.minimum(o, c) * np.exp(-np.abs(rng.normal(0, 0.01, T)))
        out[f'A{i}'] = pd.DataFrame(dict(open=o, high=h, low=l, close=c, volume=rng.uniform(1e4, 1e6, T)), index=idx)
    return out

cost_models = st.builds(CostModel, commission=st.floats(0, 0.01), fixed_fee=st.floats(0, 2), slippage_bps=st.floats(0, 20),
                        spread_bps=st.floats(0, 20), impact=st.floats(0, 1), max_leverage=st.floats(0.5, 3),
                        margin=st.booleans(), borrow_rate=st.floats(0, 1e-3), whole_units=st.booleans())

@pytest.mark.filterwarnings('ignore:overflow encountered:RuntimeWarning')   # metrics' CAGR of wild 80-bar random markets
@FUZZ
@given(cm=cost_models, seed=st.integers(0, 2**31), A=st.integers(1, 4), continuous=st.booleans(), long_only=st.booleans(),
       sl=st.sampled_from([0.0, 0.02, 0.1]), tp=st.sampled_from([0.0, 0.03]), mdd=st.sampled_from([0.0, 0.05, 0.3]),
       reward=st.sampled_from(['log_return', 'return']))
def test_accounting_invariants_under_random_actions(cm, seed, A, continuous, long_only, sl, tp, mdd, reward):
    data = frames(seed, 80, A)
    close = np.column_stack([data[k].close.to_numpy() for k in data])
    env = TradingEnv(data, window_size=4, action_type='continuous' if continuous else 'discrete', costs=cm, long_only=long_only,
                     stop_loss=sl, take_profit=tp, max_drawdown=mdd, reward=reward, initial_cash=1e5)
    env.action_space.seed(seed)
    obs, info = env.reset(seed=seed)
    e0, costs, rewards = info['equity'], 0.0, []
    while True:
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        t = int(env._state[S_T])                                # the bar just marked
        rewards.append(r)
        assert env.observation_space.contains(obs)
        # equity is exactly cash + Σ units × close, at every step
        assert info['equity'] == pytest.approx(info['cash'] + info['positions'] @ close[t], rel=1e-9, abs=1e-6)
        assert info['step_cost'] >= 0 and info['costs'] >= costs - 1e-12
        assert info['costs'] == pytest.approx(costs + info['step_cost'])
        costs = info['costs']
        # without margin, buys never take cash below zero (covering a short that funded a long may: see the docstring)
        if not cm.margin and (long_only or A == 1): assert info['cash'] >= -1e-6 * max(info['equity'], 1.0)
        # long/short books without margin: each rebalance settles negative cash by selling longs (a margin call at the open);
        # only the bar's borrow cost on the shorts can take it below zero again before the next step
        if not cm.margin and continuous and sl == 0 and tp == 0 and (info['positions'] > 0).any():
            shorts = -(np.minimum(info['positions'], 0) @ close[t])
            assert info['cash'] >= -cm.borrow_rate * shorts - 1e-6 * max(info['equity'], 1.0), (info['cash'], shorts)
        if long_only: assert (info['positions'] >= 0).all()
        if term or trunc: break
    if reward == 'log_return': assert sum(rewards) == pytest.approx(math.log(info['equity'] / e0), abs=1e-9)
    else: assert np.prod(1 + np.array(rewards)) == pytest.approx(info['equity'] / e0, rel=1e-9)
    if term: assert info['equity'] <= 0 or (mdd > 0 and info['equity'] <= env._state[S_PEAK] * (1 - mdd) + 1e-9)
    m = env.get_performance_metrics()
    assert m['final_equity'] == pytest.approx(info['equity']) and m['costs'] == pytest.approx(costs)

@pytest.mark.parametrize('A', [1, 3])
def test_buy_and_hold_is_buy_and_hold_minus_exact_costs(A):
    data = frames(7, 120, A, drift=0.001)
    cm = CostModel(commission=0.002, fixed_fee=0.5, spread_bps=4, slippage_bps=3)
    env = TradingEnv(data, costs=cm, initial_cash=50_000.0)
    _, info = env.reset()
    t0 = env._first
    while True:
        _, _, term, trunc, info = env.step(BUY if A == 1 else np.full(A, BUY))
        if term or trunc: break
    u = info['positions']
    ref = np.array([data[k].open.iloc[t0 + 1] for k in data]); last = np.array([data[k].close.iloc[-1] for k in data])
    px = ref * (1 + 2e-4 + 3e-4)
    exact = (u * (px - ref)).sum() + (u * px * 0.002).sum() + 0.5 * A          # spread + slippage + commission + fees of A fills
    assert info['costs'] == pytest.approx(exact, rel=1e-12)
    assert info['trades'] == A
    assert info['equity'] == pytest.approx(50_000 + u @ (last - ref) - exact, rel=1e-12)
    # each asset got 1/A of the equity, fees included
    assert u * px * 1.002 + 0.5 == pytest.approx(np.full(A, 50_000 / A), rel=1e-9)

@FUZZ
@given(seed=st.integers(0, 2**31), t=st.integers(30, 70), A=st.integers(1, 3), scale=st.floats(0.3, 3.0))
def test_no_look_ahead(seed, t, A, scale):
    "The observation at bar t is unchanged when every bar after t is rewritten"
    data = frames(seed, 90, A)
    fut = {k: v.copy() for k, v in data.items()}
    for v in fut.values():
        v.iloc[t + 1:, :4] *= scale; v.iloc[t + 1:, 4] *= 2
        v['high'] = v[['open', 'high', 'close']].max(axis=1)
    acts = np.random.default_rng(seed).uniform(-1, 1, (90, A))
    def obs_at(d):
        env = TradingEnv(d, window_size=5, action_type='continuous', costs=CostModel(commission=0.001, impact=0.5), stop_loss=0.02)
        o, _ = env.reset()
        for k in range(t - env._first): o = env.step(acts[k])[0]
        return o, env._state.copy()
    (o1, s1), (o2, s2) = obs_at(data), obs_at(fut)
    np.testing.assert_array_equal(o1, o2); np.testing.assert_array_equal(s1, s2)

def test_precomputed_feature_source_and_causality():
    g = load_sample('GOOGL').iloc[:300]
    X = np.random.default_rng(0).normal(size=(300, 3)).astype(np.float32)
    env = TradingEnv(g, features=X, window_size=4)
    obs, _ = env.reset(options={'start': 100})
    np.testing.assert_array_equal(obs[:12], X[97:101].ravel())
    X2 = X.copy(); X2[101:] = 99.0
    obs2, _ = TradingEnv(g, features=X2, window_size=4).reset(options={'start': 100})
    np.testing.assert_array_equal(obs, obs2)
    # callable sources get each asset's frame; NaN after the warm-up is refused, naming the row
    env = TradingEnv({'a': g, 'b': g * 2}, features=lambda df: df[['close']].pct_change())
    assert env.feature_names == ['a:close', 'b:close'] and env._first == 1 + 16 - 1
    Xb = X.copy(); Xb[150, 1] = np.nan
    with pytest.raises(ValueError, match=r'NaN/inf after the warm-up: column f1 at .* \(row 150\)'): TradingEnv(g, features=Xb)

def test_checkers_pass_without_warnings():
    from gymnasium.utils.env_checker import check_env as gym_check
    from stable_baselines3.common.env_checker import check_env as sb3_check
    g = load_sample('EURUSD').iloc[:400]
    for kw in (dict(), dict(action_type='continuous'), dict(reward='sharpe', stop_loss=0.01, max_drawdown=0.2),
               dict(data={'x': g, 'y': g * 1.1, 'z': g * 0.9}, reward='sortino'), dict(reward='drawdown', render_mode='ansi')):
        kw.setdefault('data', g)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            gym_check(gym.make('tradebook/Trading-v0', **kw).unwrapped)     # made: it has a spec, so render modes are checked too
            sb3_check(TradingEnv(**kw), warn=True)
            env = gym.make('tradebook/Trading-v0', **kw); env.reset(seed=0); env.step(env.action_space.sample())
        assert [str(x.message) for x in w] == [], kw

def test_seeded_random_starts_and_truncation():
    g = load_sample('GOOGL')
    env = TradingEnv(g, random_start=True, max_episode_steps=100)
    def start(seed): env.reset(seed=seed); return int(env._state[S_START])
    starts = [start(s) for s in range(20)]
    assert len(set(starts)) > 10 and min(starts) >= env._first and max(starts) <= len(g) - 101
    assert start(5) == starts[5]
    env.reset(seed=1)
    n = 0
    while True:
        n += 1
        _, _, term, trunc, _ = env.step(HOLD)
        if term or trunc: break
    assert (n, trunc, term) == (100, True, False)
    # via gymnasium.make, max_episode_steps becomes gymnasium's TimeLimit wrapper: same truncation; the env itself does
    # not see the limit, so its random starts keep at least half of the data ahead
    env = gym.make('tradebook/Trading-v0', data=g, random_start=True, max_episode_steps=30)
    n = 0
    env.reset(seed=0)
    assert int(env.unwrapped._state[S_START]) <= env.unwrapped._first + (len(g) - 2 - env.unwrapped._first) // 2
    while True:
        n += 1
        _, _, term, trunc, _ = env.step(HOLD)
        if term or trunc: break
    assert (n, trunc) == (30, True)

def test_drawdown_limit_terminates_and_ruin():
    data = frames(3, 200, 1, drift=-0.01)                       # a falling market
    env = TradingEnv(data, max_drawdown=0.1, costs=CostModel(max_leverage=3.0), discrete_weight=3.0)
    env.reset()
    while True:
        _, _, term, trunc, info = env.step(BUY)
        if term or trunc: break
    assert term and not trunc and info['equity'] <= 0.9 * env._state[S_PEAK] and env.get_performance_metrics()['max_drawdown'] <= -0.1
    with pytest.raises(RuntimeError, match='call reset'): env.step(HOLD)

def test_margin_borrow_and_leverage_cap():
    data = frames(4, 100, 2)
    cm = CostModel(margin=True, max_leverage=2.0, borrow_rate=1e-4)
    env = TradingEnv(data, action_type='continuous', costs=cm)
    env.reset()
    close = np.column_stack([data[k].close.to_numpy() for k in data])
    for _ in range(30):
        _, _, _, _, info = env.step(np.array([1.0, 1.0]))          # asks for 2x gross: allowed, financed by borrowing
    assert info['cash'] < 0 and env._state[S_BORROW] > 0                  # S_BORROW: borrow cost was charged
    env2 = TradingEnv(data, action_type='continuous', costs=CostModel(max_leverage=1.0))
    env2.reset()
    for _ in range(30):
        _, _, _, _, info = env2.step(np.array([1.0, -1.0]))
        t = int(env2._state[S_T])
        assert np.abs(info['positions'] * close[t]).sum() <= 1.0 * info['equity'] * 1.05   # gross ≈ ≤ 1x (drift within a bar)

def test_differential_sharpe_is_the_marginal_sharpe():
    "Moody & Saffell define D_t = dS_t/dη at η = 0, S = A/sqrt(B − A²) with EW moments A, B: check it by finite differences"
    eta = 0.02
    env = TradingEnv(load_sample('GOOGL').iloc[:600], reward='sharpe', eta=eta, costs=CostModel(commission=0.001))
    env.reset(seed=0); env.action_space.seed(0)
    S = lambda A, B, R, h: (A + h * (R - A)) / math.sqrt((B + h * (R * R - B)) - (A + h * (R - A)) ** 2)
    A = B = 0.0
    checked = 0
    for k in range(300):
        eq0 = env._state[S_EQUITY]
        _, d, _, _, info = env.step(env.action_space.sample())
        R = info['equity'] / eq0 - 1
        if B - A * A > 1e-12:
            h = 1e-7
            assert (S(A, B, R, h) - S(A, B, R, 0.0)) / h == pytest.approx(d, rel=1e-4, abs=1e-9)
            checked += 1
        else: assert d == 0.0
        A, B = A + eta * (R - A), B + eta * (R * R - B)
    assert checked > 250

def test_downside_deviation_ratio_is_its_marginal_ratio():
    "The Sortino-like reward: D_t = dDDR_t/dη at η = 0 with DDR = A/sqrt(DD²), DD² the EW mean of min(R, 0)²"
    eta = 0.02
    env = TradingEnv(load_sample('GOOGL').iloc[:600], reward='sortino', eta=eta, costs=CostModel(commission=0.001))
    env.reset(seed=0); env.action_space.seed(0)
    F = lambda A, D2, R, h: (A + h * (R - A)) / math.sqrt(D2 + h * (min(R, 0.0) ** 2 - D2))
    A = D2 = 0.0
    for k in range(300):
        eq0 = env._state[S_EQUITY]
        _, d, _, _, info = env.step(env.action_space.sample())
        R = info['equity'] / eq0 - 1
        if D2 > 1e-12:
            h = 1e-7
            assert (F(A, D2, R, h) - F(A, D2, R, 0.0)) / h == pytest.approx(d, rel=1e-3, abs=1e-6)
        A, D2 = A + eta * (R - A), D2 + eta * (min(R, 0.0) ** 2 - D2)

def test_drawdown_reward_and_metrics():
    env = TradingEnv(load_sample('GOOGL').iloc[:500], reward='drawdown', drawdown_penalty=2.0, stop_loss=0.05)
    _, info = env.reset(seed=0); env.action_space.seed(1)
    e0, rs, eq = info['equity'], [], [info['equity']]
    while True:
        _, r, term, trunc, info = env.step(env.action_space.sample()); rs.append(r); eq.append(info['equity'])
        if term or trunc: break
    eq = np.array(eq); depth = 1 - eq / np.maximum.accumulate(eq)
    assert sum(rs) == pytest.approx(math.log(eq[-1] / e0) - 2.0 * np.maximum(np.diff(depth), 0).sum(), abs=1e-9)
    m = env.get_performance_metrics()
    for k in ('total_return', 'annual_return', 'volatility', 'sharpe', 'sortino', 'calmar', 'max_drawdown', 'win_rate',
              'turnover', 'exposure', 'trades', 'fills', 'costs'):
        assert k in m and np.isfinite(m[k]), k
    assert m['total_return'] == pytest.approx(eq[-1] / eq[0] - 1) and m['max_drawdown'] == pytest.approx(-depth.max())
    assert 0 < m['exposure'] <= 1 and m['trades'] >= 1

@pytest.mark.parametrize('kw', [dict(action_type='discrete', reward='sharpe', stop_loss=0.03),
                                dict(action_type='continuous', long_only=True, reward='sortino', max_drawdown=0.05)])
def test_batch_equals_single_envs(kw):
    from stable_baselines3.common.vec_env import DummyVecEnv
    data = frames(11, 150, 3)
    kw = dict(kw, data=data, window_size=3, max_episode_steps=40, costs=CostModel(commission=0.001, spread_bps=3, impact=0.3))
    N = 5
    b, d = BatchTradingEnv(N, **kw), DummyVecEnv([lambda: TradingEnv(**kw)] * N)
    np.testing.assert_array_equal(b.reset(), d.reset())
    b.action_space.seed(0)
    for _ in range(130):
        act = np.stack([b.action_space.sample() for _ in range(N)])
        (ob, rb, db, ib), (od, rd, dd, idd) = b.step(act), d.step(act)
        np.testing.assert_array_equal(ob, od); np.testing.assert_array_equal(rb, rd); np.testing.assert_array_equal(db, dd)
        for i in np.flatnonzero(db):
            np.testing.assert_array_equal(ib[i]['terminal_observation'], idd[i]['terminal_observation'])
        np.testing.assert_allclose(b.equity, [e.unwrapped._state[S_EQUITY] for e in d.envs], rtol=0)

def test_batch_seeding_is_deterministic():
    kw = dict(data=load_sample('GOOGL'), random_start=True, max_episode_steps=50)
    runs = []
    for _ in range(2):
        v = BatchTradingEnv(16, **kw); v.seed(3); o = v.reset()
        for k in range(120): o, r, d, i = v.step(np.full(16, k % 3))
        runs.append((o, r, v.equity))
    for x, y in zip(*runs): np.testing.assert_array_equal(x, y)

def test_bad_actions_are_named():
    env = TradingEnv(frames(0, 60, 2), action_type='discrete'); env.reset()
    with pytest.raises(ValueError, match=r"action\[1\] \(asset 'A1'\) = 5.0 is not 0 \(sell\)"): env.step(np.array([1, 5]))
    with pytest.raises(ValueError, match='integers'): env.step(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r'shape \(2,\)'): env.step(1)
    v = BatchTradingEnv(3, data=frames(0, 60, 2), action_type='continuous'); v.reset()
    with pytest.raises(ValueError, match=r"env 2: action\[0\] \(asset 'A0'\) = inf"): v.step(np.array([[0, 0], [0, 0], [np.inf, 0]]))

def test_ppo_smoke():
    "A short PPO run on the env trains (parameters move) and predicts valid actions"
    import torch
    from stable_baselines3 import PPO
    torch.set_num_threads(1)
    env = TradingEnv(load_sample('GOOGL').iloc[:400], costs=CostModel(commission=0.001), random_start=True, max_episode_steps=64)
    model = PPO('MlpPolicy', env, n_steps=128, batch_size=64, n_epochs=2, seed=0, device='cpu')
    before = [p.detach().clone() for p in model.policy.parameters()]
    model.learn(256)
    assert model.num_timesteps == 256
    assert any(not torch.equal(a, b) for a, b in zip(before, model.policy.parameters()))
    obs, _ = env.reset(seed=0)
    assert env.action_space.contains(int(model.predict(obs, deterministic=True)[0]))

def planted_market(n, seed, edge=0.004, noise=0.004):
    "A market whose next-bar return has the sign of a feature visible now (s_t): a predictable signal to learn"
    rng = np.random.default_rng(seed)
    s = rng.choice([-1.0, 1.0], n)
    r = np.r_[0.0, s[:-1] * edge + rng.normal(0, noise, n - 1)]      # bar t's open→close return carries s_{t−1}
    c = 100 * np.exp(np.cumsum(r)); o = np.r_[100.0, c[:-1]]            # no gaps: open = previous close
    idx = pd.date_range('2015-01-01', periods=n, freq='D', tz='UTC', name='timestamp')
    df = pd.DataFrame(dict(open=o, high=np.maximum(o, c) * 1.001, low=np.minimum(o, c) * 0.999, close=c, volume=1e6), index=idx)
    return df, s[:, None].astype(np.float32)

def evaluate(env, policy)->float:
    "Log growth of one deterministic pass over the whole test market"
    obs, info = env.reset(); e0 = info['equity']
    while True:
        obs, _, term, trunc, info = env.step(policy(obs))
        if term or trunc: return math.log(info['equity'] / e0)

@SLOW
def test_ppo_learns_a_planted_signal_out_of_sample():
    import torch
    from stable_baselines3 import PPO
    torch.set_num_threads(1)
    df, s = planted_market(3000, 0)
    cm = CostModel(commission=0.0005, spread_bps=2)
    train = BatchTradingEnv(8, data=df.iloc[:2000], features=s[:2000], window_size=1, costs=cm, random_start=True, max_episode_steps=128)
    train.seed(0)
    model = PPO('MlpPolicy', train, n_steps=128, batch_size=256, learning_rate=1e-3, seed=0, device='cpu')
    model.learn(30_000)
    test = TradingEnv(df.iloc[2000:], features=s[2000:], window_size=1, costs=cm)
    ppo = evaluate(test, lambda o: int(model.predict(o, deterministic=True)[0]))
    rng = np.random.default_rng(1)
    rand = np.mean([evaluate(test, lambda o: int(rng.integers(0, 3))) for _ in range(5)])
    bh = evaluate(test, lambda o: BUY)
    print(f"out of sample log growth: PPO {ppo:.3f}, random {rand:.3f}, buy-and-hold {bh:.3f}")
    assert ppo > rand + 1.0 and ppo > bh + 1.0

def test_continuous_weights_and_leverage_scaling():
    "Target weights are fractions of equity; over the leverage cap they shrink together; long-only ignores negative ones"
    data = frames(5, 60, 3)
    for long_only, act, want in ((False, [0.5, -0.25, 0.0], [0.5, -0.25, 0.0]), (False, [1.0, -1.0, 0.0], [0.5, -0.5, 0.0]),
                                 (True, [0.6, -1.0, 0.4], [0.6, 0.0, 0.4])):
        env = TradingEnv(data, action_type='continuous', long_only=long_only, costs=CostModel(max_leverage=1.0))
        env.reset()
        t = env._first + 1
        _, _, _, _, info = env.step(np.array(act))
        ref = np.array([data[k].open.iloc[t] for k in data])
        np.testing.assert_allclose(info['positions'] * ref / 10_000.0, want, atol=1e-9)

def test_hybrid_model_reads_the_observation_window():
    "The hybrid CNN+LSTM as the policy's feature extractor (tradebook.hybrid.HybridExtractor with the env's window_shape): the window block reshaped to (window, k), the portfolio block appended"
    import torch
    from stable_baselines3 import PPO
    from tradebook.hybrid import HybridModel, HybridExtractor
    torch.set_num_threads(1)
    env = TradingEnv(load_sample('GOOGL').iloc[:400], window_size=8, random_start=True, max_episode_steps=64)
    W, F = env.window_shape
    assert (W, F) == (8, 4) and env.observation_space.shape == (W * F + 2 + 2 * env.n_assets,)
    torch.manual_seed(0)
    hyb = HybridModel(F, cnn_channels=4, lstm_hidden=8, lstm_layers=1, fused_dim=32)
    model = PPO("MlpPolicy", env, n_steps=32, batch_size=32, n_epochs=1, seed=0, device="cpu",
                policy_kwargs=dict(features_extractor_class=HybridExtractor,
                                   features_extractor_kwargs=dict(model=hyb, window_shape=env.window_shape, freeze=False)))
    obs, _ = env.reset(seed=0)
    x = torch.as_tensor(obs[None])
    ext = model.policy.features_extractor
    assert ext.features_dim == 32 + 2 + 2 * env.n_assets
    model.policy.set_training_mode(False)                      # no dropout while comparing
    with torch.no_grad():
        direct = hyb.features(torch.as_tensor(obs[:W * F].reshape(1, W, F)))
        out = ext(x)[0]
    np.testing.assert_allclose(out[:32].numpy(), direct[0].numpy(), rtol=1e-6)
    np.testing.assert_array_equal(out[32:].numpy(), obs[W * F:])   # the portfolio block passes through unchanged
    before = {k: v.clone() for k, v in hyb.state_dict().items()}
    model.learn(32)
    assert model.num_timesteps == 32
    assert any(not torch.equal(before[k], v) for k, v in hyb.state_dict().items())   # fine-tuned with the policy
