# Two commands do everything on a fresh machine: `make report` and `make test`.
# Each creates .venv from requirements.lock (pinned; torch==2.13.0 is the CPU
# build pip finds on local disk) the first time, then runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONHASHSEED := 0

.PHONY: venv report test lab bench browser lint format clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==26.3"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (coverage-compare)" >/dev/null
	touch $(STAMP)

# The committed figures/ come from a cold embedding cache (the default ONNX vectors depend only on the
# text, but torch vectors' last bits depend on their batch; a fresh cache reproduces either exactly).
# Your own runs may use the shared cache.
report: venv
	cache=$$(mktemp -d); COVERAGE_COMPARE_CACHE=$$cache $(VENV)/bin/coverage-compare report --corpus seeds --out figures; \
	  status=$$?; rm -rf $$cache; exit $$status

test: venv browser lint
	$(PY) -m pytest $(PYTEST_ARGS)

lab: venv
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: venv
	$(VENV)/bin/ruff check analysis tests benchmarks notebooks
	$(VENV)/bin/ruff format --check analysis tests benchmarks notebooks

format: venv
	$(VENV)/bin/ruff format analysis tests benchmarks notebooks


# Debian's Chromium for the browser test of report.html; installed only when
# missing and only when we may (root). Never downloads a browser build of its own.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "warning: could not install chromium; the browser test will be skipped"; \
	  else echo "note: chromium not installed and not root; the browser test will be skipped"; fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache
