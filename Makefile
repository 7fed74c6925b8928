# The two commands a newcomer needs: `make lab` and `make test`.
# Both create the virtual environment on first use, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.imgur-kit-installed

# Tests and nbval never read the user's real config folder or credentials. With neither,
# connect() chooses the sandbox by itself, exactly as it does for a newcomer.
TEST_CONFIG := $(CURDIR)/.pytest_cache/imgur-kit-config
SANDBOX_ENV := env -u IMGUR_CLIENT_ID -u IMGUR_CLIENT_SECRET -u IMGUR_ACCESS_TOKEN -u IMGUR_REFRESH_TOKEN \
               -u IMGUR_KIT_MODE -u IMGUR_KIT_BASE_URL IMGUR_KIT_CONFIG_DIR=$(TEST_CONFIG)

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
               --nbval-cell-timeout=120 -p no:cacheprovider

.PHONY: lab test test-fast nbval notebooks setup benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make lab: JupyterLab on the notebooks, opened at the start notebook.
## Sandbox mode unless credentials are configured (see notebooks/00-start-here.ipynb).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR) notebooks/00-start-here.ipynb

## make test: every check, in the order a failure is cheapest to read.
test: $(STAMP)
	rm -rf $(TEST_CONFIG)
	$(PY) -m pytest tests --cov=imgur_kit --cov-report=term:skip-covered
	$(SANDBOX_ENV) $(PY) -m pytest $(NBVAL_FLAGS) notebooks

## make test-fast: the unit tests alone, without browser and notebooks.
test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not browser" -q

nbval: $(STAMP)
	rm -rf $(TEST_CONFIG)
	$(SANDBOX_ENV) $(PY) -m pytest $(NBVAL_FLAGS) notebooks

## make notebooks: re-run every notebook in sandbox mode and commit-ready outputs.
notebooks: $(STAMP)
	rm -rf $(TEST_CONFIG)
	$(SANDBOX_ENV) $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.record_timing=False \
	    --ExecutePreprocessor.timeout=300 notebooks/*.ipynb

benchmark: $(STAMP)
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .coverage htmlcov *.egg-info
