# One-line entry points; every target sets up .venv itself on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PACKAGES := spec common extract transform load sources flows quality

.PHONY: run test test-fast lint format bench bench-pdf bench-nightly dictionary clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,dask]"
	touch $(STAMP)

## run: ingest the bundled sample reports into data/warehouse.duckdb and print the summary
run: $(STAMP)
	$(BIN)/xxgk ingest data/samples --db data/warehouse.duckdb

## test: lint (ruff, mypy), then the whole suite on two processes (a test file's tests
## run together on one), as CI runs it
test: lint
	$(BIN)/python -m pytest -q -m "not bench" -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not bench and not slow" -n 2 --dist loadfile

## lint: ruff check, ruff format --check, mypy (strict on every package: pyproject.toml) and
## vulture (no unused definitions; what frameworks call is in vulture_whitelist.py)
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy \
	  && $(BIN)/vulture $(PACKAGES) vulture_whitelist.py --min-confidence 60

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

## dictionary: regenerate docs/data-dictionary.md from sql/ and the codes
dictionary: $(STAMP)
	$(BIN)/python -m load.dictionary docs/data-dictionary.md

## bench: the README's figures: 200 PDFs on 2 processes vs the naive baseline, a quiet night
## of 10,000 known sources, and the 1M agency-year warehouse
bench: $(STAMP)
	$(BIN)/python bench/pdf_bench.py 200 --workers 2
	$(BIN)/python bench/nightly.py 10000
	$(BIN)/python bench/warehouse.py --agency-years 1000000

## bench-pdf: xxgk ingest on 200 generated PDFs against a naive pdfplumber pass (CORPUS=DIR: your PDFs)
bench-pdf: $(STAMP)
	$(BIN)/python bench/pdf_bench.py 200 --workers 2 $(if $(CORPUS),--corpus $(CORPUS))

## bench-nightly: 10,000 known sources (local files and loopback URLs), nothing changed: < 10 s
bench-nightly: $(STAMP)
	$(BIN)/python bench/nightly.py 10000

clean:
	rm -rf $(VENV) data/warehouse.duckdb data/raw
