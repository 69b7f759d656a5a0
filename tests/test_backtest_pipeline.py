"The backtest pipeline notebook, run end to end through papermill with tiny parameters."
import json
import math
import pytest
from tradebook.cli import run_pipeline, list_pipelines

def test_backtest_pipeline_is_listed_with_its_parameters():
    ps = list_pipelines()['backtest']
    for k in ('symbol', 'commission', 'train_sizes', 'test', 'seeds', 'output_dir'): assert k in ps

def test_backtest_pipeline_writes_a_sane_report(tmp_path):
    out = run_pipeline('backtest', dict(symbol='GOOGL', max_bars=700, train_sizes=[300, 350], test=100, fast_grid=[5, 10],
                                        slow_grid=[20, 40], seeds=2, n_boot=50, commission=0.001),
                       out=tmp_path/'bt', progress=False, html=False)
    doc = json.loads((out/'metrics.json').read_text())
    assert doc['parameters']['symbol'] == 'GOOGL' and doc['span']['bars'] == 700 - 350
    runs = doc['runs']
    assert set(runs) == {'walk-forward train=300 test=100', 'walk-forward train=350 test=100', 'buy-and-hold', 'SMA(10,20) fixed'}
    import pandas as pd
    from tradebook.data import load_sample
    df = load_sample('GOOGL').iloc[-700:].iloc[350:]
    bh = runs['buy-and-hold']
    # buy-and-hold: bought at the second bar's open (after the first decision), held to the last close, minus 0.2% round costs at most
    gross = df['close'].iloc[-1] / df['open'].iloc[1] - 1
    assert gross - 0.003 < bh['total_return'] < gross
    assert bh['trades'] == 0 and bh['exposure'] > 0.99
    for name, m in runs.items():
        assert m['final_equity'] > 0 and math.isfinite(m['sharpe']) and -1 <= m['max_drawdown'] <= 0
        assert m['total_costs'] >= 0
    wf = runs['walk-forward train=300 test=100']
    assert wf['trades'] >= 1 and wf['total_costs'] > 0 and 0 <= wf['dsr'] <= 1
    assert wf['sharpe_ci_low'] <= wf['sharpe'] <= wf['sharpe_ci_high']
    assert set(doc['summary']) == {'walk-forward (mean)', 'walk-forward (std)', 'random x2 (mean)', 'random x2 (std)'}
    assert len(doc['windows']['walk-forward train=300 test=100']) == 4
    assert (out/'tearsheet_0.png').stat().st_size > 10_000 and (out/'metrics.csv').exists()
    assert (out/'backtest.ipynb').exists()

def test_backtest_pipeline_rejects_an_unknown_strategy(tmp_path):
    from papermill.exceptions import PapermillExecutionError
    with pytest.raises(PapermillExecutionError, match="only 'sma_cross'"):
        run_pipeline('backtest', dict(strategy='magic', max_bars=400, train_sizes=[200], test=100), out=tmp_path/'x',
                     progress=False, html=False)

def test_backtest_pipeline_trades_model_predictions(tmp_path):
    "A predictions CSV in the train pipeline's format becomes one signal per (model, seed), reported beside the baselines"
    import numpy as np, pandas as pd
    from tradebook.data import load_sample
    df = load_sample('GOOGL').iloc[-600:]
    mom = df['close'].pct_change(5).iloc[300:]                       # a causal 'model': past 5-bar momentum
    rows = []
    for seed, flip in ((0, 1.0), (1, -1.0)):
        up = 1 / (1 + np.exp(-flip * 200 * mom.to_numpy()))
        rows.append(pd.DataFrame({'timestamp': mom.index, 'model': 'mom', 'seed': seed, 'fold': 0,
                                  'p_sell': (1 - up) * 0.8, 'p_hold': 0.2, 'p_buy': up * 0.8}))
    csv = tmp_path/'oos_predictions.csv'; pd.concat(rows).to_csv(csv, index=False)
    out = run_pipeline('backtest', dict(symbol='GOOGL', max_bars=600, train_sizes=[], seeds=2, n_boot=50, predictions=str(csv)),
                       out=tmp_path/'bt', progress=False, html=False)
    doc = json.loads((out/'metrics.json').read_text())
    assert set(doc['runs']) == {'mom seed=0', 'mom seed=1', 'buy-and-hold', 'SMA(10,20) fixed'}
    assert doc['span']['start'].startswith(str(mom.index[0].date())) and doc['span']['bars'] == 300
    assert {'signals (mean)', 'signals (std)'} <= set(doc['summary'])
    m0, m1 = doc['runs']['mom seed=0'], doc['runs']['mom seed=1']
    assert m0['trades'] >= 1 and m0['total_costs'] > 0 and m0['final_equity'] != m1['final_equity']
    assert doc['parameters']['predictions'] == str(csv)
