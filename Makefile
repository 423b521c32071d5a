# Two entry points: `make run` (dashboard on demo data) and `make test` (ruff, mypy, pytest).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: run test lint typecheck pytest bench tools clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ksales serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# Debian's Chromium (browser tests) and LibreOffice Calc (the Excel file opens there), installed when
# missing and we are root; elsewhere those tests skip (under CI=true a missing Chromium fails them).
tools:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  updated=""; \
	  if ! command -v chromium >/dev/null 2>&1; then \
	    apt-get update -qq && updated=1; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || echo "could not install chromium"; \
	  fi; \
	  if ! command -v soffice >/dev/null 2>&1; then \
	    [ -n "$$updated" ] || apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null \
	      || echo "could not install libreoffice-calc"; \
	  fi; \
	fi

test: $(STAMP) tools lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/queries.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
