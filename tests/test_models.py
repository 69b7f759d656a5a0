"Property tests for the networks, the checkpoint format and the uncertainty outputs (hypothesis draws the sizes)."
import math
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st, HealthCheck

from tradebook import nets, hybrid
from tradebook.train import build_model, save, load, MODEL_KINDS, CheckpointError, fit, predict

torch.set_num_threads(1)
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SMALL = {
    'cnn': dict(channels=4, n_heads=2, n_out=3),
    'lstm': dict(hidden=4, n_layers=2, n_out=3),
    'gru': dict(hidden=4, n_layers=2, n_out=3),
    'transformer': dict(d_model=8, n_heads=2, n_layers=1, dim_ff=16, n_out=3),
    'multiscale': dict(scales=[1, 2], horizons=[1, 5], hidden=4),
    'plain_lstm': dict(hidden=4),
    'hybrid': dict(cnn_channels=4, lstm_hidden=4, lstm_layers=1, fused_dim=16),
    'ensemble': dict(n_members=2, cnn_channels=4, lstm_hidden=4, lstm_layers=1, fused_dim=16),
}

def _out(o):
    return o['logits'] if isinstance(o, dict) else o

@FAST
@given(kind=st.sampled_from(sorted(SMALL)), b=st.integers(1, 5), t=st.integers(4, 20), f=st.integers(1, 6))
def test_every_model_maps_any_window_to_finite_outputs_independent_of_the_batch(kind, b, t, f):
    torch.manual_seed(0)
    m = build_model(kind, n_features=f, **SMALL[kind]).eval()
    x = torch.randn(b, t, f)
    with torch.no_grad():
        o = _out(m(x))
        one = _out(m(x[:1]))
    expect = (b, 2, 3) if kind == 'multiscale' else (b, 3)
    assert tuple(o.shape) == expect and torch.isfinite(o).all()
    torch.testing.assert_close(one, o[:1], atol=1e-5, rtol=1e-4)   # a window's output does not depend on its batch

@FAST
@given(kind=st.sampled_from(sorted(SMALL)), f=st.integers(1, 5))
def test_save_load_round_trip_is_exact_for_every_kind(kind, f, tmp_path_factory):
    torch.manual_seed(1)
    m = build_model(kind, n_features=f, **SMALL[kind]).eval()
    p = save(m, tmp_path_factory.mktemp('ck') / 'm.pt')
    back = load(p, device='cpu')
    assert type(back) is type(m)
    x = torch.randn(3, 8, f)
    with torch.no_grad(): torch.testing.assert_close(_out(back(x)), _out(m(x)), atol=0, rtol=0)

def test_wrong_shapes_are_clear_errors():
    m = nets.LSTMTemporal(3, hidden=4, n_layers=1, n_out=3)
    with pytest.raises(ValueError, match=r'shape \[batch, time, features\]'): m(torch.randn(5, 3))
    with pytest.raises(ValueError, match='n_features=3'): m(torch.randn(2, 5, 4))
    with pytest.raises(TypeError, match='torch.Tensor'): m(np.zeros((2, 5, 3)))

def test_checkpoint_of_a_different_architecture_is_refused(tmp_path):
    m = nets.GRUTemporal(3, hidden=4, n_layers=1, n_out=3)
    p = save(m, tmp_path / 'g.pt')
    pl = torch.load(p, weights_only=True)
    import json
    cfg = json.loads(pl['config_json']); cfg['kwargs']['hidden'] = 8; pl['config_json'] = json.dumps(cfg)
    torch.save(pl, tmp_path / 'g2.pt')
    with pytest.raises(CheckpointError, match='do not fit'): load(tmp_path / 'g2.pt')

@FAST
@given(t=st.integers(12, 40), cut=st.integers(1, 40), w=st.integers(2, 12))
def test_rolling_volatility_sees_no_future(t, cut, w):
    cut = min(cut, t)
    r = torch.randn(2, t, generator=torch.Generator().manual_seed(t * 100 + cut))
    c = torch.nn.functional.pad(torch.cumsum(r * r, 1), (1, 0))
    def raw(r):   # the un-standardised rolling mean square at every bar
        c = torch.nn.functional.pad(torch.cumsum(r * r, 1), (1, 0)); tt = torch.arange(1, r.shape[1] + 1); lo = (tt - w).clamp(min=0)
        return (c[:, tt] - c[:, lo]) / (tt - lo)
    torch.testing.assert_close(raw(r[:, :cut]), raw(r)[:, :cut])
    # and the module's output equals the log of that, standardised per window
    lv = nets.rolling_log_vol(r, w)
    ref = 0.5 * torch.log(raw(r) + 1e-12); ref = (ref - ref.mean(1, keepdim=True)) / (ref.std(1, keepdim=True) + 1e-6)
    torch.testing.assert_close(lv, ref, atol=1e-5, rtol=1e-4)

@FAST
@given(b=st.integers(1, 4), n=st.integers(1, 30), chunk=st.integers(1, 64))
def test_mc_predict_shapes_and_probability_laws(b, n, chunk):
    torch.manual_seed(0)
    m = hybrid.HybridModel(3, cnn_channels=4, lstm_hidden=4, lstm_layers=2, fused_dim=16, dropout=0.3).eval()
    r = hybrid.mc_predict(m, torch.randn(b, 10, 3), n_samples=n, max_batch=chunk)
    assert all(v.shape[0] == b for v in r.values())
    torch.testing.assert_close(r['probs'].sum(-1), torch.ones(b))
    assert (r['confidence'] >= 1 / 3 - 1e-6).all() and (r['confidence'] <= 1).all()
    assert (r['epistemic'] >= 0).all() and (r['aleatoric'] > 0).all()
    assert (r['mutual_info'] >= -1e-5).all() and (r['mutual_info'] <= r['entropy'] + 1e-5).all()
    torch.testing.assert_close(r['std'] ** 2, r['aleatoric'] + r['epistemic'])
    if n == 1: assert (r['epistemic'] == 0).all()

def test_mc_predict_chunking_does_not_change_the_distribution():
    torch.manual_seed(0)
    m = hybrid.HybridModel(3, cnn_channels=4, lstm_hidden=4, lstm_layers=1, fused_dim=16, dropout=0.0).eval()
    x = torch.randn(7, 10, 3)
    a, b = hybrid.mc_predict(m, x, 8, max_batch=8), hybrid.mc_predict(m, x, 8, max_batch=10_000)
    for k in a: torch.testing.assert_close(a[k], b[k], atol=1e-5, rtol=1e-4)

def test_class_weights_shift_predictions_towards_a_rare_class():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(600, 6, 2, generator=g); y = torch.ones(600, dtype=torch.long); y[:60] = 2   # buy is rare and unpredictable
    res = {}
    for cw in (None, 'balanced'):
        torch.manual_seed(0)
        m = nets.PlainLSTM(2, hidden=4)
        fit(m, (X, y), epochs=8, batch_size=64, lr=1e-2, class_weights=cw, progress=False)
        res[cw] = predict(m, X)['probs'][:, 2].mean()
    # unweighted: p(buy) ≈ its 10% frequency; balanced weights equalise the two classes present: p(buy) ≈ 0.5
    assert abs(res[None] - 0.1) < 0.05 and abs(res['balanced'] - 0.5) < 0.1, res

def test_training_error_names_the_problem():
    with pytest.raises(ValueError, match='train r contains NaN'):
        fit(nets.PlainLSTM(2, 4), (torch.randn(10, 4, 2), torch.zeros(10).long(), torch.tensor([0.0] * 9 + [math.nan])), progress=False)
    with pytest.raises(ValueError, match='give class labels y and/or returns r'):
        fit(nets.PlainLSTM(2, 4), (torch.randn(10, 4, 2), None), progress=False)
    with pytest.raises(ValueError, match="kind='nope'"):
        build_model('nope')

def test_sb3_extractor_from_checkpoint_gives_the_saved_models_features(tmp_path):
    import gymnasium as gym
    torch.manual_seed(0)
    m = hybrid.HybridModel(3, cnn_channels=4, lstm_hidden=4, lstm_layers=1, fused_dim=16).eval()
    p = save(m, tmp_path / 'h.pt')
    space = gym.spaces.Box(-np.inf, np.inf, (12, 3), np.float32)
    ex = hybrid.HybridExtractor(space, checkpoint=str(p), freeze=True)
    assert ex.features_dim == 16
    ex.train()                                   # SB3 switches modes; a frozen extractor must stay deterministic
    obs = torch.randn(4, 12, 3)
    with torch.no_grad(): torch.testing.assert_close(ex(obs), m.features(obs), atol=0, rtol=0)
    assert not any(q.requires_grad for q in ex.parameters())
    with pytest.raises(ValueError, match='shape \\(window, n_features\\)'):
        hybrid.HybridExtractor(gym.spaces.Box(-1, 1, (36,), np.float32), checkpoint=str(p))


def _planted(n, seed, t=12, f=3):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, t, f, generator=g)
    s = x[:, -3:, 0].mean(1)
    return x, (s > -0.25).long() + (s > 0.25).long(), s + 0.3 * torch.randn(n, generator=g)

ENS = dict(n_features=3, cnn_channels=4, lstm_hidden=4, lstm_layers=1, fused_dim=16)

def _fit_ens(seed, tr, va):
    from tradebook.train import fit_ensemble
    ens = hybrid.DeepEnsemble(2, seed=seed, **ENS)
    fit_ensemble(ens, tr, va, epochs=3, batch_size=64, lr=3e-3, progress=False, device='cpu')
    return ens

def test_fit_ensemble_is_deterministic_and_its_weights_come_from_the_validation_data_only(tmp_path):
    from tradebook.train import _class_weights, as_dataset
    tr, va, te = _planted(384, 0), _planted(128, 1), _planted(64, 2)
    a, b, c = _fit_ens(5, tr, va), _fit_ens(5, tr, va), _fit_ens(7, tr, va)
    pa, pb, pc = (predict(m, te[0]) for m in (a, b, c))
    for k in pa: np.testing.assert_array_equal(pa[k], pb[k])             # same seed: bit-identical
    assert not np.array_equal(pa['probs'], pc['probs'])                  # another seed: other members
    # the learned weights are exactly what fit_weights gives from zero on the validation data (no test data involved)
    w = a.weights.detach().clone()
    with torch.no_grad(): a.weight_logits.zero_()
    X, y, _ = as_dataset(tr)
    VX, Vy, Vr = as_dataset(va)
    w2 = a.fit_weights(VX, Vy, Vr, class_weights=_class_weights(a.members[0], X, y, 'balanced', torch.device('cpu')))
    torch.testing.assert_close(w2, w, atol=0, rtol=0)
    # save → load (weights_only) gives identical predictions, learned weights included; tampering is refused
    p = save(a, tmp_path / 'e.pt')
    back = load(p, device='cpu')
    for k, v in predict(back, te[0]).items(): np.testing.assert_array_equal(v, predict(a, te[0])[k])
    pl = torch.load(p, weights_only=True); pl['state_dict']['weight_logits'] += 1; torch.save(pl, tmp_path / 't.pt')
    with pytest.raises(CheckpointError, match='SHA-256'): load(tmp_path / 't.pt')

def test_walk_forward_multiscale_defaults_to_one_head_and_rejects_mismatched_labels():
    import pandas as pd
    from tradebook.evaluate import walk_forward_evaluate
    from tradebook.labels import make_labels
    rng = np.random.default_rng(0)
    n = 400
    idx = pd.date_range('2021-01-01', periods=n, freq='D', tz='UTC')
    close = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, n))), idx)
    bars = pd.DataFrame(dict(open=close, high=close, low=close, close=close), idx)
    feats = pd.DataFrame(dict(a=rng.normal(size=n), b=np.log(close).diff().fillna(0)), idx)
    labs = make_labels(bars, horizon=2, threshold=0.01, entry='close')
    res = walk_forward_evaluate(feats, labs, close, window=6, horizon=2, kind='multiscale', model_kwargs=dict(scales=(1, 2), hidden=4),
                                n_splits=2, seeds=(0,), epochs=1, baselines=None)
    assert res['heads'] == [2] and res['model'].horizons == (2,)
    assert list(res['summary'].index) == ['multiscale'] and 'ic' not in res['summary']   # classification only
    with pytest.raises(ValueError, match='horizon_labels'):
        walk_forward_evaluate(feats, labs, close, window=6, horizon=2, kind='cnn', horizon_labels={5: make_labels(bars, horizon=5)})
