# Quickstart: `make run` (runtime install + ingest + serve) and `make test` (developer install + whole suite).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
SHARED ?= ../shared
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install install-run run test lint bench eval browser-deps clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 Python 3.11（找不到 $(PY)，可用 make PY=/path/to/python3.11）"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip

# Runtime dependencies only: what `zhibi` needs to ingest, draft and serve.
$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check -e .
	@touch $(RUN_STAMP)

# Plus the developer tools (pytest, ruff, playwright, gradio_client).
$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(RUN_STAMP) $(DEV_STAMP)

install-run: $(RUN_STAMP)

install: $(DEV_STAMP)

# Ingests the bundled corpus when the index is empty (plus ../shared/corpus when present), then serves the workspace.
run: install-run
	$(BIN)/zhibi ingest --if-empty corpus $(if $(wildcard $(SHARED)/corpus/manifest.toml),$(SHARED)/corpus,)
	$(BIN)/zhibi serve --host $(HOST) --port $(PORT)

browser-deps:
	@sh tests/install_browser.sh

test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval: install-run
	$(BIN)/zhibi eval $(SHARED)/eval/cases

bench: install
	$(BIN)/python bench/retrieval_quality.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/drafting_speed.py
	-$(BIN)/zhibi eval bench/role_notes
	-$(BIN)/zhibi eval bench/role_notes_heldout
	-$(BIN)/zhibi eval bench/role_notes_fresh
	-$(BIN)/zhibi eval bench/role_notes_final
	-$(BIN)/zhibi eval bench/role_notes_blind
	-$(BIN)/zhibi eval bench/role_notes_blind2
	-$(BIN)/zhibi eval bench/role_notes_blind3
	-$(BIN)/zhibi eval bench/role_notes_blind4
	-$(BIN)/zhibi eval bench/role_notes_blind5
	-$(BIN)/zhibi eval bench/role_notes_blind6
	-$(BIN)/zhibi eval bench/role_notes_dev7
	$(BIN)/python bench/cue_report.py --shared $(SHARED) --held-out

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
