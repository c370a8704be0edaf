# Blandet By — the two front-door commands (see README.md):
#   make run    install everything into .venv and run the main job on the bundled example
#   make test   install everything into .venv and run the whole test suite (ruff, import contracts,
#               mypy, pytest), then the model's, optimiser's and CLI's tests on the newest and the
#               oldest supported Mesa and PuLP

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/eksempelby.toml
OUT ?= runs/eksempelby

# The newest Mesa (3.4+) and PuLP (4+) need Python 3.12: pyenv's 3.12.1, else python3.12 on the
# PATH, else any pyenv 3.12 install (a shell without pyenv's shims).
NEWEST_PYTHON ?= $(shell PYENV_VERSION=3.12.1 python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null || command -v python3.12 || ls -d $(HOME)/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1)
NEWEST := .venv-newest
OLDEST := .venv-oldest
# what the newest and the oldest Mesa and PuLP run: the model, the optimiser, the runner and the
# CLI, without the slow tests (the rest of the stack resolves to the same pandas and matplotlib as
# .venv, and the report and notebooks do not touch Mesa or PuLP directly); the whole suite runs once,
# in .venv (about 4 minutes on 2 cores, the compat runs about 1.5 each)
COMPAT_TESTS := tests/test_simulation tests/test_optimisation tests/test_architecture.py tests/test_integration/test_cli_run.py tests/test_integration/test_cli_optimise.py

.PHONY: run dashboard test install browser lint typecheck pytest compat compat-newest compat-oldest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip names each package as it goes, so that the first `make run` (about two minutes) shows life
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Blandet By and its dependencies into $(VENV) (once; about two minutes)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e ".[test]"
	@echo "Installed into $(VENV)"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/blandetby run $(SCENARIO) --out $(OUT)

# the what-if page on http://127.0.0.1:PORT/ (printed); Ctrl-C stops it
dashboard: install
	$(BIN)/blandetby dashboard $(SCENARIO) scenarios/eksempelby_trappemodel.toml

# The dashboard's browser test drives Debian's chromium through Playwright (which installs from
# PyPI with the test extra; its own browser download is not used). Installed here when missing
# and this runs as root (waiting while another apt holds the lock); otherwise the test fails
# saying what to install: it never skips.
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "chromium is missing and this is not root: the dashboard's browser test will fail (apt-get install -y chromium)"; exit 0; fi; \
	echo "Installing Debian's chromium for the dashboard's browser test"; \
	for attempt in 1 2 3 4 5 6 7 8 9 10; do \
		if DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; then exit 0; fi; \
		if [ $$attempt = 2 ]; then apt-get update -q || true; fi; \
		echo "apt-get could not install chromium (busy or stale lists); trying again in 20 s"; sleep 20; \
	done; echo "chromium could not be installed: the dashboard's browser test will fail"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

pytest: install browser
	$(BIN)/pytest -n 2 --dist loadgroup

$(NEWEST)/.installed: pyproject.toml
	@if [ -z "$(NEWEST_PYTHON)" ]; then echo "make compat-newest: no Python 3.12 found (set NEWEST_PYTHON=/path/to/python3.12)"; exit 1; fi
	@echo "Installing into $(NEWEST) with $(NEWEST_PYTHON) (newest Mesa and PuLP; about a minute)"
	$(NEWEST_PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

$(OLDEST)/.installed: pyproject.toml .ci/constraints-oldest.txt | $(BIN)/python
	@echo "Installing into $(OLDEST) with the oldest supported Mesa and PuLP (about a minute)"
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check -c .ci/constraints-oldest.txt -e ".[test]"
	touch $@

compat-newest: $(NEWEST)/.installed browser
	@$(NEWEST)/bin/python -c "import mesa, pulp, sys; print(f'newest: Python {sys.version.split()[0]}, Mesa {mesa.__version__}, PuLP {pulp.__version__}')"
	$(NEWEST)/bin/pytest -n 2 --dist loadgroup -q -p no:cacheprovider -m "not slow" $(COMPAT_TESTS)

compat-oldest: $(OLDEST)/.installed
	@$(OLDEST)/bin/python -c "import mesa, pulp, sys; print(f'oldest: Python {sys.version.split()[0]}, Mesa {mesa.__version__}, PuLP {pulp.__version__}')"
	$(OLDEST)/bin/pytest -n 2 --dist loadgroup -q -p no:cacheprovider -m "not slow" $(COMPAT_TESTS)

compat: compat-newest compat-oldest

test: lint typecheck pytest compat

clean:
	rm -rf $(VENV) $(NEWEST) $(OLDEST) runs test-artefacts .pytest_cache .mypy_cache .ruff_cache .hypothesis
