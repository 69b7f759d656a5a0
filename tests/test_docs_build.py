"The offline docs-site builder (`make docs`, `docs/build.py`): pages, the index, and errors that name what went wrong."
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT/'docs'/'build.py')]

def _run(args, tmp_path, **env):
    import os
    return subprocess.run(BUILD + args + ['--out', str(tmp_path/'site')], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})

def test_renders_a_page_and_the_index(tmp_path):
    r = _run(['--no-execute', '--only', '00_core'], tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    page = (tmp_path/'site'/'00_core.html').read_text()
    assert '#| export' not in page and '<html' in page
    index = (tmp_path/'site'/'index.html').read_text()
    assert 'href="00_core.html"' in index and 'tradebook' in index

def test_a_pattern_that_matches_nothing_is_an_error(tmp_path):
    r = _run(['--no-execute', '--only', 'no_such_notebook'], tmp_path)
    assert r.returncode != 0 and "'no_such_notebook' matches no notebook" in r.stderr

def test_a_kernel_that_does_not_start_is_named(tmp_path):
    "nbclient 0.11 follows a kernel start-up timeout with an AssertionError at exit; the build says what happened instead"
    spec = tmp_path/'jupyter'/'kernels'/'python3'; spec.mkdir(parents=True)
    slow = f'sleep 60; exec {sys.executable} -m ipykernel_launcher -f "$0"'
    (spec/'kernel.json').write_text(json.dumps({'argv': ['bash', '-c', slow, '{connection_file}'], 'display_name': 'slow', 'language': 'python'}))
    r = _run(['--only', '00_core', '--startup-timeout', '2'], tmp_path, JUPYTER_PATH=str(tmp_path/'jupyter'))
    assert r.returncode != 0
    assert 'the kernel for 00_core.ipynb did not start within 2 s' in r.stderr
    assert 'AssertionError' not in r.stderr
