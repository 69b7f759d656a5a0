# tradebook: two commands do everything on a fresh machine (Python >= 3.10, no GPU needed).
#   make demo   -> create .venv, install, run the main papermill pipeline on the bundled GOOGL sample
#   make test   -> create .venv, install, check notebook/package sync + clean notebooks, run every test
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Small machines: one BLAS/torch thread per process keeps tests and RL fast and deterministic.
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export PYTHONHASHSEED ?= 0

.PHONY: install demo test test-slow sync-check nbtest pytest fresh-numba-cache bench docs clean
# numba's cache=True does not notice edits to kernels a cached kernel calls from another module (or another notebook
# cell), so a test run starts from an empty cache of its own (shared by every notebook and test process of that run).
# Kernels defined in notebook cells are cached under IPython's cache dir, which NUMBA_CACHE_DIR does not move: XDG does.
NUMBA_TEST_CACHE := $(CURDIR)/.numba_cache
TEST_CACHES := NUMBA_CACHE_DIR=$(NUMBA_TEST_CACHE) XDG_CACHE_HOME=$(NUMBA_TEST_CACHE)/xdg

$(STAMP): settings.ini setup.py constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel "setuptools>=64"
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name tradebook --display-name "tradebook" >/dev/null
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tradebook run main --out outputs/main

sync-check: $(STAMP)
	@git diff --quiet -- tradebook nbs || { echo "sync-check needs a clean tradebook/ and nbs/ (commit or stash first)"; exit 1; }
	$(BIN)/nbdev_export
	@git diff --exit-code --stat -- tradebook || { echo "FAIL: nbdev_export changed tradebook/: package out of sync with nbs/"; exit 1; }
	@test -z "$$(git status --porcelain -- tradebook)" || { git status --porcelain -- tradebook; echo "FAIL: nbdev_export created files under tradebook/"; exit 1; }
	$(BIN)/nbdev_clean
	@git diff --exit-code --stat -- nbs || { echo "FAIL: nbdev_clean changed notebooks: run nbdev_clean and commit"; exit 1; }

fresh-numba-cache:
	rm -rf $(NUMBA_TEST_CACHE)

nbtest: $(STAMP)
	$(TEST_CACHES) $(BIN)/nbdev_test --n_workers 2 --timing

pytest: $(STAMP)
	$(TEST_CACHES) $(BIN)/python -m pytest -q -p no:cacheprovider tests

test: sync-check fresh-numba-cache nbtest pytest

# everything, including cells flagged `#| slow` and tests marked slow (full-size benchmarks, PPO learnability)
test-slow: sync-check fresh-numba-cache
	$(TEST_CACHES) $(BIN)/nbdev_test --n_workers 2 --timing --flags slow
	$(TEST_CACHES) $(BIN)/python -m pytest -q -p no:cacheprovider --runslow tests

bench: $(STAMP)
	$(BIN)/tradebook bench all

docs: $(STAMP)
	$(BIN)/python docs/build.py

clean:
	rm -rf _proc _docs site outputs .pytest_cache
