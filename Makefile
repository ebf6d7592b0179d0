# Local Digital Hub. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: help
help: ## List the targets and what they do
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

.PHONY: prerequisites
prerequisites: ## Check Python 3.11+, Node 18+ and npm are installed
	@command -v $(PY) >/dev/null || { echo "Python 3.11 or newer is needed: install python3 and python3-venv."; exit 1; }
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "Python 3.11 or newer is needed (found $$($(PY) --version))."; exit 1; }
	@$(PY) -c 'import venv' 2>/dev/null || { echo "The Python venv module is missing: install python3-venv."; exit 1; }
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

.PHONY: install
install: prerequisites $(VENV)/.installed frontend/node_modules/.installed ## Install Python and npm dependencies

.PHONY: frontend
frontend: frontend/node_modules/.installed ## Build GOV.UK Frontend styles, scripts and assets
	cd frontend && node build.mjs

.PHONY: setup
setup: install frontend ## Install, build, migrate and load reference and demo data
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo

.PHONY: run
run: setup ## Set up everything and serve the Hub on http://127.0.0.1:$(PORT)
	@echo "The Hub is starting on http://127.0.0.1:$(PORT) (background tasks: run 'make worker' in another terminal)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: worker
worker: ## Run the background task worker (django-tasks database backend)
	$(MANAGE) db_worker

.PHONY: lint
lint: install ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy localdigital

.PHONY: test
test: install frontend lint ## Lint, type-check and run the whole suite (SQLite; PostgreSQL too when DATABASE_URL is set)
	$(BIN)/pytest -q

.PHONY: bench
bench: install frontend ## Benchmark pages at 1x and 10x sector scale; JSON on stdout
	$(BIN)/python -m bench.run
