# The two commands a newcomer needs: `make lab` and `make test`.
# Both create the virtual environment on first use, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.imgur-kit-installed

# The notebooks run as a newcomer's would: no credentials, no IMGUR_* settings, and a
# fresh home folder, so connect() chooses the sandbox by itself and the config folder is
# the default one (shown as ~/.config/imgur-kit), never the developer's real one.
TEST_HOME   := $(CURDIR)/.pytest_cache/imgur-kit-home
SANDBOX_ENV := env -u IMGUR_CLIENT_ID -u IMGUR_CLIENT_SECRET -u IMGUR_ACCESS_TOKEN -u IMGUR_REFRESH_TOKEN \
               -u IMGUR_KIT_MODE -u IMGUR_KIT_BASE_URL -u IMGUR_KIT_CONFIG_DIR -u XDG_CONFIG_HOME \
               HOME=$(TEST_HOME)

# pytest-xdist: four workers on the two cores, each taking whole test files (a file's module
# fixtures, such as the live-mode JupyterLab, then start once). Most of the slow tests wait on a
# kernel, a browser or a hub rather than compute, so more workers than cores finish sooner.
# PARALLEL= runs everything in one process.
PARALLEL ?= -n 4 --dist loadfile

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
               --nbval-cell-timeout=120 -p no:cacheprovider
# nbval checks the notebooks as committed, copied here: running them in JupyterLab saves a
# person's outputs into notebooks/, which is using the kit, not breaking it (tests/committed.py).
NB_COPY     := $(CURDIR)/.pytest_cache/committed-notebooks

.PHONY: lab test coverage test-fast test-hub hub-deps lint nbval notebooks setup benchmark class-benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make lab: JupyterLab on the notebooks, opened at the start notebook.
## Sandbox mode unless credentials are configured (see notebooks/00-start-here.ipynb).
## LAB_FLAGS passes more options to JupyterLab, e.g. make lab LAB_FLAGS="--port=9999 --no-browser".
LAB_FLAGS ?=
# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR) \
	    --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb $(ROOT_FLAG) $(LAB_FLAGS)

# A class on a real JupyterHub (tests/hub): JupyterHub comes with the test extra; its proxy,
# configurable-http-proxy, comes from npm into .ci/node (never a global install). The test
# creates Unix users, so it runs as root (as CI does); elsewhere it skips with the reason.
HUB_NODE := .ci/node
CHP      := $(HUB_NODE)/node_modules/.bin/configurable-http-proxy
CHP_VERSION := 5.3.0
HUB_DEPS := $(if $(filter 0,$(shell id -u)),$(CHP),)

hub-deps: $(STAMP) $(CHP)

$(CHP):
	npm install --prefix $(HUB_NODE) --no-audit --no-fund --loglevel=error configurable-http-proxy@$(CHP_VERSION)

## make test-hub: the class-on-a-hub test alone (about a minute and a half; needs root).
test-hub: hub-deps
	$(PY) -m pytest tests/hub -p no:cacheprovider -q -s

## make test: every check, in the order a failure is cheapest to read.
test: $(STAMP) $(HUB_DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy imgur_kit
	rm -rf $(TEST_HOME) && mkdir -p $(TEST_HOME)
	$(PY) -m pytest tests $(PARALLEL) --durations=12
	$(PY) tests/committed.py $(NB_COPY)
	$(SANDBOX_ENV) $(PY) -m pytest $(NBVAL_FLAGS) $(NB_COPY)

## make coverage: the unit tests under coverage (make test leaves coverage out: it costs a minute).
coverage: $(STAMP)
	$(PY) -m pytest tests $(PARALLEL) -m "not browser" --cov=imgur_kit --cov-report=term:skip-covered

## make lint: the style and type checks alone (make test runs them first).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy imgur_kit

## make test-fast: the unit tests alone, without browser and notebooks.
test-fast: $(STAMP)
	$(PY) -m pytest tests $(PARALLEL) -m "not browser and not hub" -q

## make nbval: strict nbval over the committed notebooks alone.
nbval: $(STAMP)
	rm -rf $(TEST_HOME) && mkdir -p $(TEST_HOME)
	$(PY) tests/committed.py $(NB_COPY)
	$(SANDBOX_ENV) $(PY) -m pytest $(NBVAL_FLAGS) $(NB_COPY)

## make notebooks: re-run every notebook in sandbox mode and commit-ready outputs.
notebooks: $(STAMP)
	rm -rf $(TEST_HOME) && mkdir -p $(TEST_HOME)
	$(SANDBOX_ENV) $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.record_timing=False \
	    --ExecutePreprocessor.timeout=300 notebooks/*.ipynb

benchmark: $(STAMP)
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) benchmarks/run.py
	$(PY) benchmarks/hostile_text.py

## make class-benchmark: a class's sizing on this machine (memory, Run-All alone and five at once,
## the hub's start time per learner); docs/teaching.md turns it into a table. Needs root for the hub part.
class-benchmark: hub-deps
	$(PY) benchmarks/class.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov *.egg-info
