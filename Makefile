# The targets the README names. Everything runs from a virtualenv in .venv that `setup`
# creates, so a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-sqlite test-postgres lint typecheck check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Bot + built-in WeCom simulator on SQLite: a scripted tour, then a console if interactive.
demo: setup
	$(BIN)/scrm-bot demo

## The test suite on SQLite; again on PostgreSQL when SCRM_TEST_POSTGRES_URL is set.
## On every CPU (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)
	@if [ -n "$$SCRM_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL pass ($$SCRM_TEST_POSTGRES_URL)"; \
		SCRM_TEST_DATABASE=postgres $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m db; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

bench: setup
	$(BIN)/python bench/callback_load.py all

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
