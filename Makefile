# make run   set up everything and serve the app on the embedded database (SQLite)
# make test  set up everything and run the whole test suite (what .ci/run calls)

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3

.PHONY: install run test lint postgres schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/customer-graph serve

postgres:
	scripts/ensure-postgres.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install postgres lint
	$(BIN)/pytest

schema: install
	$(BIN)/customer-graph schema > schema.graphql

clean:
	rm -rf $(VENV) customer_graph.db customer_graph.db-shm customer_graph.db-wal
