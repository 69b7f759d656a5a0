"The wheel a user gets from `pip install tradebook` carries the samples and the pipelines."
import subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_wheel_ships_samples_pipelines_and_modules(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w', str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    (whl,) = tmp_path.glob('tradebook-*.whl')
    names = set(zipfile.ZipFile(whl).namelist())
    for f in ('tradebook/samples/STOCKS_GOOGL.csv', 'tradebook/samples/FOREX_EURUSD_1H_ASK.csv', 'tradebook/samples/SOURCES.md',
              'tradebook/pipelines/main.ipynb', 'tradebook/core.py', 'tradebook/cli.py', 'tradebook/_modidx.py'):
        assert f in names, f
    for nb in (ROOT/'nbs'/'runs').glob('*.ipynb'): assert f'tradebook/pipelines/{nb.name}' in names
    meta = next(n for n in names if n.endswith('entry_points.txt'))
    assert 'tradebook = tradebook.cli:main' in zipfile.ZipFile(whl).read(meta).decode()
