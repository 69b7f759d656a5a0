"End-to-end: the console script and the papermill pipelines, run as a user would."
import json, subprocess, sys
from pathlib import Path
import pytest

BIN = Path(sys.executable).parent

def tb(*args, cwd=None):
    return subprocess.run([str(BIN/'tradebook'), *args], capture_output=True, text=True, cwd=cwd, timeout=600)

def test_help_lists_subcommands():
    r = tb('--help')
    assert r.returncode == 0
    for cmd in ('validate', 'run', 'bench'): assert cmd in r.stdout

def test_run_list_shows_main_and_its_parameters():
    r = tb('run', '--list')
    assert r.returncode == 0, r.stderr
    assert 'main' in r.stdout and '-p symbol' in r.stdout

def test_unknown_pipeline_is_a_clear_error():
    r = tb('run', 'nope')
    assert r.returncode == 2 and "unknown pipeline 'nope'" in r.stderr

def test_unknown_parameter_is_a_clear_error(tmp_path):
    r = tb('run', 'main', '-p', 'simbol', 'GOOGL', '--out', str(tmp_path/'o'))
    assert r.returncode == 2 and "no parameter 'simbol'" in r.stderr

def test_relative_output_may_not_escape_cwd(tmp_path):
    r = tb('run', 'main', '--out', '../escape', cwd=tmp_path)
    assert r.returncode == 2 and 'outside the allowed root' in r.stderr

def test_validate_with_tz_accepts_naive_sample_and_reports_gaps():
    csv = Path(__file__).resolve().parent.parent/'tradebook'/'samples'/'FOREX_EURUSD_1H_ASK.csv'
    r = tb('validate', str(csv), '--tz', 'UTC')
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'OHLCV report: 6225 rows' in r.stdout and 'gaps' in r.stdout and '52 rows' in r.stdout
    r = tb('validate', str(csv), '--tz', 'UTC', '--min-rows', '10000')
    assert r.returncode == 1 and '10000' in r.stdout

def test_validate_missing_file_names_it():
    r = tb('validate', 'definitely_missing.csv')
    assert r.returncode == 2 and "no such file: 'definitely_missing.csv'" in r.stderr
