# socialcare: `make demo` runs the pipeline on the embedded defaults; `make test` runs every test.
# Both create the virtual environment and install everything on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench clean chromium

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# PyTorch first and pinned: the CPU wheel; a resolver left alone would pull several GB of CUDA packages.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# asari pins old janome and packaging releases it does not need; it works with the current ones.
	$(BIN)/python -m pip install --quiet --no-deps asari==0.2.0
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/socialcare demo --no-serve

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Debian's Chromium for the browser tests (tests/e2e). It needs root and apt; where it cannot be installed
# the browser tests skip (and fail under CI=true).
chromium:
	-DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
		(apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1)

bench: $(STAMP)
	$(BIN)/python bench/transport.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/enrich.py
	$(BIN)/python bench/triage.py
	$(BIN)/python bench/replies.py
	$(BIN)/python bench/dashboards.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
