# Local Digital Hub. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
# mypy covers every service and selector (the typed core of each app).
TYPED := $(wildcard localdigital/*/services.py localdigital/*/selectors.py localdigital/*/services/*.py localdigital/*/selectors/*.py)
FRONTEND_SOURCES := frontend/build.mjs $(wildcard frontend/src/*)
PYTEST_ARGS ?=

.PHONY: help
help: ## List the targets and what they do
	@echo "Local Digital Hub: make <target>"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT=$(PORT) (make run), DATABASE_URL (PostgreSQL instead of SQLite),"
	@echo "           PYTEST_ARGS (extra pytest arguments, e.g. PYTEST_ARGS='-m \"not browser\"')"

.PHONY: prerequisites
prerequisites: ## Check Python 3.11+, Node 18+ and npm are installed
	@command -v $(PY) >/dev/null || { echo "Python 3.11 or newer is needed: install python3 and python3-venv."; exit 1; }
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "Python 3.11 or newer is needed (found $$($(PY) --version))."; exit 1; }
	@$(PY) -c 'import venv, ensurepip' 2>/dev/null || { echo "The Python venv module is missing: install python3-venv."; exit 1; }
	@command -v node >/dev/null || { echo "Node.js 18 or newer is needed to build the GOV.UK Frontend styles: install nodejs."; exit 1; }
	@node -e 'process.exit(parseInt(process.versions.node) >= 18 ? 0 : 1)' || { echo "Node.js 18 or newer is needed (found $$(node --version))."; exit 1; }
	@command -v npm >/dev/null || { echo "npm is needed: install npm."; exit 1; }

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The stamp lives inside the build folder, so deleting the folder forces a rebuild.
frontend/build/.built: $(FRONTEND_SOURCES) frontend/node_modules/.installed
	cd frontend && node build.mjs
	touch $@

.PHONY: install
install: prerequisites $(VENV)/.installed frontend/node_modules/.installed ## Install Python and npm dependencies

.PHONY: frontend
frontend: frontend/build/.built ## Build GOV.UK Frontend styles, scripts and assets (and axe-core for the browser tests)

.PHONY: setup
setup: install frontend ## Install, build, migrate and load reference and demo data
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo

.PHONY: run
run: setup ## Set up everything, start the background worker and serve the Hub on http://127.0.0.1:8000 (or PORT)
	@echo "The Hub is starting on http://127.0.0.1:$(PORT), with the background worker (emails appear in this terminal)"
	@$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: worker
worker: install ## Run the background task worker (django-tasks database backend)
	$(MANAGE) db_worker

.PHONY: lint
lint: install ## ruff (lint and format check) and mypy on services and selectors
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(TYPED)

.PHONY: format
format: install ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: chromium
chromium: ## Check Debian's Chromium is installed for the browser tests (installs it as root)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium package for the browser tests"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation; \
	  else \
	    echo "The browser tests need Debian's Chromium at $(CHROMIUM): install the 'chromium' package (sudo apt-get install chromium)."; \
	    echo "To run everything else meanwhile: make test PYTEST_ARGS='-m \"not browser\"'"; \
	    exit 1; \
	  fi; \
	fi

.PHONY: test
test: install frontend lint chromium ## Lint, type-check and run the whole suite with browser tests (PostgreSQL when DATABASE_URL is set)
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "Database: $${DATABASE_URL%%://*} at $${DATABASE_URL##*@}"; else echo "Database: SQLite"; fi
	$(BIN)/pytest -q $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: install frontend ## Run the suite without the browser tests and without linting
	$(BIN)/pytest -q -m "not browser" $(PYTEST_ARGS)

.PHONY: bench
bench: ## Benchmark pages at 1x and 10x sector scale; JSON on stdout (progress on stderr)
	@# Set-up output goes to stderr so stdout carries nothing but the JSON document.
	@$(MAKE) --no-print-directory install frontend >&2
	@$(BIN)/python -m bench.run

.PHONY: check-deploy
check-deploy: install ## Django's deployment checks with production settings (needs DJANGO_SECRET_KEY and DATABASE_URL)
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) check --deploy --fail-level WARNING

.PHONY: clean
clean: ## Remove build output, caches and benchmark results (keeps .venv and db.sqlite3)
	rm -rf frontend/build frontend/axe.min.js staticfiles bench/results .ruff_cache .mypy_cache
