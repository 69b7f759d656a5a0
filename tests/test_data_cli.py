"`tradebook validate FILE` on a good and a bad CSV, run as a user would."
import json, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd

BIN = Path(sys.executable).parent

def tb(*args):
    return subprocess.run([str(BIN/'tradebook'), *args], capture_output=True, text=True, timeout=300)

def frame(n=20):
    close = 100 + np.arange(n, dtype=float)
    return pd.DataFrame({'Date': pd.date_range('2024-01-01', periods=n, freq='D', tz='UTC').strftime('%Y-%m-%dT%H:%M:%SZ'),
                         'Open': close - 0.5, 'High': close + 1, 'Low': close - 1, 'Close': close, 'Volume': 1000.0})

def test_validate_good_csv(tmp_path):
    p = tmp_path/'good.csv'; frame().to_csv(p, index=False)
    r = tb('validate', str(p))
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'OHLCV report: 20 rows, 2024-01-01 00:00:00+00:00 → 2024-01-20 00:00:00+00:00: OK' in r.stdout

def test_validate_bad_csv_exits_1_and_names_the_defects(tmp_path):
    df = frame(); df['Close'] = df['Close'].astype(object); df.loc[3, 'Close'] = 'oops'; df.loc[7, 'High'] = 50.0; df.loc[9, 'Volume'] = -1
    p = tmp_path/'bad.csv'; df.to_csv(p, index=False)
    r = tb('validate', str(p))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "non_numeric" in r.stdout and "column 'close': 1 row, first at 2024-01-04 00:00:00+00:00 ('oops')" in r.stdout
    assert "high_below_open_close" in r.stdout and 'first at 2024-01-08' in r.stdout
    assert "negative_volume" in r.stdout and 'first at 2024-01-10' in r.stdout
    r = tb('validate', '--json', str(p))
    assert r.returncode == 1
    d = json.loads(r.stdout)
    assert d['ok'] is False and d['counts'] == {'non_numeric': 1, 'high_below_open_close': 1, 'negative_volume': 1}

def test_validate_naive_csv_explains_the_tz_policy(tmp_path):
    p = tmp_path/'naive.csv'; pd.read_csv(Path(__file__).parent.parent/'tradebook'/'samples'/'STOCKS_GOOGL.csv').to_csv(p, index=False)
    r = tb('validate', str(p))
    assert r.returncode == 1 and 'naive_timestamps' in r.stdout and "tz='UTC'" in r.stdout

def test_validate_missing_file_is_a_clear_error(tmp_path):
    r = tb('validate', str(tmp_path/'nope.csv'))
    assert r.returncode == 2 and 'no such file' in r.stderr
