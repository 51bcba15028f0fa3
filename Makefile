# 云采商城 YunCai Mall. On a fresh machine, two commands do all the set-up:
#   make run    the mall on moto's emulation of AWS: API :8000, web :8080
#   make test   lint, type checks, frontend tests, package + cfn-lint, pytest (last)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := frontend/node_modules/.installed
DIST := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.js

.PHONY: run test venv frontend system-deps lint typecheck frontend-test check-sites package lint-template lint-openapi openapi contract-nightly load pytest bench clean

$(VENV_STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV_STAMP)

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The API's description: the typed client (openapi-typescript) and its lint are made from it.
OPENAPI := build/openapi.json
$(OPENAPI): $(VENV_STAMP) app.py $(shell find chalicelib -name '*.py' 2>/dev/null)
	$(PY) -m infra.build openapi

# The build type-checks the request bodies the UI sends against the description: a renamed field fails here.
$(DIST): $(NPM_STAMP) $(FRONTEND_SOURCES) $(OPENAPI)
	cd frontend && npm run build --silent

frontend: $(DIST)

system-deps:
	scripts/system-deps.sh

run: venv frontend
	YUNCAI_STOP_WITH_PARENT=1 exec $(PY) -m scheduled.embedded $(if $(FRESH),--fresh)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

frontend-test: $(NPM_STAMP)
	cd frontend && npm test --silent

check-sites: venv
	$(PY) -m scheduled.check_sites

package: venv
	$(PY) -m infra.build package

lint-template: package
	$(PY) -m infra.build lint

# The API's OpenAPI description (what /openapi.json serves), linted by Redocly CLI's strict recommended rules.
openapi: $(OPENAPI)

lint-openapi: $(OPENAPI) $(NPM_STAMP)
	cd frontend && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --no-install redocly lint ../build/openapi.json --format=stylish

# Schemathesis with many examples per operation against a fresh launcher (a nightly run, not part of make test).
contract-nightly: venv system-deps frontend
	SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-60} $(PY) -m pytest -q -p no:cacheprovider tests/e2e/test_schemathesis.py

# The load mix on a fresh launcher: one JSON line (bench/load.py).
load: venv frontend
	$(PY) -m bench.load

# The browser journeys run in a process of their own beside the rest (scripts/pytest-all.sh).
pytest: venv system-deps frontend
	PY=$(PY) scripts/pytest-all.sh

# pytest runs last: CI reads its closing line.
test: lint typecheck frontend-test check-sites lint-template lint-openapi
	$(MAKE) --no-print-directory pytest

BENCH_NODE := bench/node/node_modules/.installed

$(BENCH_NODE): bench/node/package.json bench/node/package-lock.json
	cd bench/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: venv package $(BENCH_NODE)
	$(PY) -m bench.cold_start
	$(PY) -m bench.catalog
	$(PY) -m bench.orders
	$(PY) -m bench.bidding
	$(PY) -m bench.stats

clean:
	rm -rf build frontend/dist test-artifacts
