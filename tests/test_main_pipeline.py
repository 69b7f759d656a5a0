"The main job (`make demo` = `tradebook run main`) end to end with tiny settings: data report → train → backtest of the model's predictions."
import json
import pytest
from tradebook.cli import run_pipeline

@pytest.fixture(scope='module')
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp('main')
    return run_pipeline('main', dict(max_rows=500, feature_set='minimal', window=16, n_splits=2, epochs=1, seeds=[0], mc_samples=0,
                                     baselines=['always_hold']), out=out, progress=False, html=False)

def test_main_writes_each_stage(run):
    for f in ('data_report.json', 'price.png', 'summary.json', 'train/metrics.json', 'train/oos_predictions.csv', 'train/model.pt',
              'backtest/metrics.json', 'backtest/tearsheet_0.png'):
        assert (run / f).exists(), f

def test_main_summary_puts_the_model_beside_buy_and_hold(run):
    s = json.loads((run / 'summary.json').read_text())
    bt = json.loads((run / 'backtest' / 'metrics.json').read_text())
    assert s['symbol'] == 'GOOGL' and s['model'] == 'hybrid'
    assert set(s['trading']) == {'hybrid seed=0', 'buy-and-hold'}
    assert s['model_mean_total_return'] == bt['runs']['hybrid seed=0']['total_return']
    assert s['buy_and_hold_total_return'] == bt['runs']['buy-and-hold']['total_return']
    assert s['prediction']['best_baseline'] == 'always_hold'
    # the backtest trades only bars where the model had out-of-sample predictions: after the first test fold starts
    tm = json.loads((run / 'train' / 'metrics.json').read_text())
    assert bt['span']['start'] >= tm['folds'][0]['test_start']
    assert bt['runs']['hybrid seed=0']['total_costs'] >= 0
