# One-line entry points; every target sets up .venv itself on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test test-fast lint format bench bench-pdf dictionary clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,dask]"
	touch $(STAMP)

## run: ingest the bundled sample reports into data/warehouse.duckdb and print the summary
run: $(STAMP)
	$(BIN)/xxgk ingest data/samples --db data/warehouse.duckdb

## test: the whole suite, as CI runs it
test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not bench"

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not bench and not slow"

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

## dictionary: regenerate docs/data-dictionary.md from sql/ and the codes
dictionary: $(STAMP)
	$(BIN)/python -m load.dictionary docs/data-dictionary.md

## bench: issue 6's figures: 200 PDFs on 2 processes vs the naive baseline, and the 1M agency-year warehouse
bench: $(STAMP)
	$(BIN)/python bench/pdf_bench.py 200 --workers 2
	$(BIN)/python bench/warehouse.py --agency-years 1000000

## bench-pdf: xxgk ingest on 200 generated PDFs against a naive pdfplumber pass
bench-pdf: $(STAMP)
	$(BIN)/python bench/pdf_bench.py 200

clean:
	rm -rf $(VENV) data/warehouse.duckdb data/raw
