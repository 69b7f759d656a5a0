import os
import pytest
os.environ.setdefault('OMP_NUM_THREADS', '1')
os.environ.setdefault('MKL_NUM_THREADS', '1')

def pytest_addoption(parser):
    parser.addoption('--runslow', action='store_true', default=False, help='also run tests marked slow (or set TRADEBOOK_SLOW=1)')

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: takes more than ~30 s; skipped unless --runslow or TRADEBOOK_SLOW=1')

def pytest_collection_modifyitems(config, items):
    if config.getoption('--runslow') or os.environ.get('TRADEBOOK_SLOW'): return
    skip = pytest.mark.skip(reason='slow: run with --runslow or TRADEBOOK_SLOW=1')
    for item in items:
        if 'slow' in item.keywords: item.add_marker(skip)
