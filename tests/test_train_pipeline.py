"The training pipeline end to end with tiny parameters: papermill runs nbs/runs/train.ipynb as a user would."
import json, math
from pathlib import Path
import numpy as np
import pytest
from tradebook.cli import run_pipeline

TINY = dict(symbol='GOOGL', window=10, horizon=5, feature_set='minimal', max_rows=700, n_splits=2, epochs=2, batch_size=64,
            seeds=[0, 1], mc_samples=5, model_kwargs=dict(cnn_channels=4, lstm_hidden=8, lstm_layers=1, fused_dim=32),
            device='cpu')

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp('train')
    run_pipeline('train', TINY, out=out, progress=False, html=False)
    return out

def test_writes_all_artifacts(run):
    names = {p.name for p in run.iterdir()}
    assert {'train.ipynb', 'model.pt', 'metrics.json', 'oos_predictions.csv', 'learning_curves.png', 'diagnostics.png', 'attention.png'} <= names, names
    for png in ('learning_curves.png', 'diagnostics.png', 'attention.png'):
        assert (run / png).read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'

def test_metrics_json_holds_model_beside_baselines(run):
    m = json.loads((run / 'metrics.json').read_text())
    assert m['params']['seeds'] == [0, 1] and m['data']['symbol'] == 'GOOGL' and m['data']['bars'] == 700
    summ = {r['model']: r for r in m['summary']}
    assert set(summ) == {'hybrid', 'always_hold', 'sign_last_return', 'logistic', 'hgb', 'plain_lstm'}
    assert summ['hybrid']['n_seeds'] == 2 and summ['always_hold']['n_seeds'] == 1
    assert summ['hgb']['n_seeds'] == 1                        # 700 bars: HGB's early stopping is off, so its seed cannot matter
    for name, r in summ.items():
        assert 0 <= r['accuracy'] <= 1 and 0 <= r['balanced_accuracy'] <= 1 and 0 <= r['ece'] <= 1, (name, r)
    # always-hold predicts class 1 everywhere: its accuracy is the share of hold labels in the test folds
    assert math.isclose(summ['always_hold']['balanced_accuracy'], 1 / 3, abs_tol=1e-9)
    assert summ['hybrid']['coverage'] is not None and 0 < summ['hybrid']['coverage'] <= 1
    assert summ['plain_lstm']['ic'] is None                    # classification-only baseline: no return forecast
    # per-seed rows: the hybrid twice (different seeds), and seeds really differ
    hy = [r for r in m['per_seed'] if r['model'] == 'hybrid']
    assert sorted(r['seed'] for r in hy) == [0, 1]
    assert len(m['folds']) == 2
    for f in m['folds']:   # purged: validation ends before the test block starts; test blocks are disjoint and ordered
        assert f['valid_end'] < f['test_start'] and f['train_end'] < f['valid_end']
    assert m['folds'][0]['test_end'] < m['folds'][1]['test_start']
    assert all(t['epochs_run'] <= 2 for t in m['training'])

def test_checkpoint_loads_safely_and_predicts(run):
    import torch
    from tradebook.train import load, read_config
    cfg = read_config(run / 'model.pt')
    assert cfg['kind'] == 'hybrid' and cfg['kwargs']['fused_dim'] == 32
    model = load(run / 'model.pt', device='cpu')
    nf = len(cfg['extra']['feature_columns'])
    assert cfg['kwargs']['n_features'] == nf == 5
    with torch.no_grad(): out = model(torch.zeros(3, 10, nf))
    assert out['logits'].shape == (3, 3) and torch.isfinite(out['mean']).all()


def test_oos_predictions_lie_in_the_test_folds(run):
    "The predictions the backtest pipeline trades: one row per (model, seed, bar), inside the purged test blocks only"
    import pandas as pd
    p = pd.read_csv(run / 'oos_predictions.csv', parse_dates=['timestamp'])
    m = json.loads((run / 'metrics.json').read_text())
    assert {'timestamp', 'model', 'seed', 'fold', 'p_sell', 'p_hold', 'p_buy'} <= set(p.columns)
    hy = p[(p.model == 'hybrid') & (p.seed == 0)]
    assert hy['timestamp'].is_unique and ((hy[['p_sell', 'p_hold', 'p_buy']].sum(axis=1) - 1).abs() < 1e-5).all()
    for f in m['folds']:
        ts = hy.loc[hy.fold == f['fold'], 'timestamp']
        assert len(ts) == f['n_test']
        assert ts.min() >= pd.Timestamp(f['test_start']) and ts.max() <= pd.Timestamp(f['test_end'])
        assert ts.min() > pd.Timestamp(f['valid_end'])


ENSEMBLE = dict(TINY, model='ensemble', seeds=[3], mc_samples=0, baselines=['always_hold', 'logistic'],
                model_kwargs=dict(n_members=2, cnn_channels=4, lstm_hidden=8, lstm_layers=1, fused_dim=32))

@pytest.fixture(scope='module')
def ens_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('train_ensemble')
    run_pipeline('train', ENSEMBLE, out=out, progress=False, html=False)
    return out

def test_ensemble_pipeline_trains_members_fits_weights_and_predicts_out_of_sample(ens_run):
    "kind='ensemble' end to end: K members per fold from the run seed, learned weights, uncertainty, a checkpoint that loads"
    import pandas as pd, torch
    from tradebook.train import load, read_config, predict
    m = json.loads((ens_run / 'metrics.json').read_text())
    summ = {r['model']: r for r in m['summary']}
    assert set(summ) == {'ensemble', 'always_hold', 'logistic'}
    e = summ['ensemble']
    assert 0 <= e['balanced_accuracy'] <= 1 and 0 < e['coverage'] <= 1 and e['ic'] is not None
    # two members per fold, each trained with its own run of the loop
    assert sorted((t['fold'], t['member']) for t in m['training']) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert len(m['ensemble_weights']) == 2
    for w in m['ensemble_weights']:
        assert w['seed'] == 3 and len(w['weights']) == 2 and math.isclose(sum(w['weights']), 1, abs_tol=1e-5)
    cfg = read_config(ens_run / 'model.pt')
    assert cfg['kind'] == 'ensemble' and cfg['kwargs']['n_members'] == 2 and cfg['kwargs']['seed'] == 6   # run seed 3 × K=2
    model = load(ens_run / 'model.pt', device='cpu')
    # the learned weights of the last fold travel in the checkpoint
    np.testing.assert_allclose(model.weights.detach().numpy(), m['ensemble_weights'][-1]['weights'], rtol=1e-6)
    x = torch.randn(4, 10, cfg['kwargs']['n_features'], generator=torch.Generator().manual_seed(0))
    p = predict(model, x)
    assert {'probs', 'mean', 'aleatoric', 'epistemic', 'std'} <= set(p)
    assert (p['epistemic'] > 0).all() and np.allclose(p['probs'].sum(1), 1, atol=1e-5)
    o = pd.read_csv(ens_run / 'oos_predictions.csv', parse_dates=['timestamp'])
    en = o[o.model == 'ensemble']
    assert en['timestamp'].is_unique and en['std'].gt(0).all()
    for f in m['folds']:
        ts = en.loc[en.fold == f['fold'], 'timestamp']
        assert len(ts) == f['n_test'] and ts.min() > pd.Timestamp(f['valid_end']) and ts.max() <= pd.Timestamp(f['test_end'])
    assert (ens_run / 'attention.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_multiscale_pipeline_learns_extra_horizons_and_scores_the_configured_one(tmp_path):
    "kind='multiscale' with horizons=[10]: heads for 5 and 10 bars, scored on 5, purge widened to 10 bars"
    import pandas as pd
    from tradebook.train import load
    params = dict(TINY, model='multiscale', horizons=[10], seeds=[0], mc_samples=0, baselines=['always_hold'],
                  model_kwargs=dict(scales=[1, 2], hidden=8))
    run_pipeline('train', params, out=tmp_path, progress=False, html=False)
    m = json.loads((tmp_path / 'metrics.json').read_text())
    assert m['params']['heads'] == [5, 10]
    assert {r['model'] for r in m['summary']} == {'multiscale', 'always_hold'}
    assert load(tmp_path / 'model.pt', device='cpu').horizons == (5, 10)
    o = pd.read_csv(tmp_path / 'oos_predictions.csv', parse_dates=['timestamp'])
    for f in m['folds']:
        ts = o.loc[(o.model == 'multiscale') & (o.fold == f['fold']), 'timestamp']
        assert len(ts) == f['n_test'] and ts.min() >= pd.Timestamp(f['test_start']) and ts.max() <= pd.Timestamp(f['test_end'])
    # the purge is the longest horizon: 10 bars lie between the last validation row and the first test row (5 for the hybrid run)
    from tradebook.data import load_sample
    ix = load_sample('GOOGL').index
    gap = lambda f: ix.get_loc(pd.Timestamp(f['test_start'])) - ix.get_loc(pd.Timestamp(f['valid_end']))
    assert [gap(f) for f in m['folds']] == [11, 11]
