# Zukunftsprofil: `make run` serves the demo site, `make test` runs everything CI runs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser tests run in Debian's chromium-headless-shell (tests/conftest.py); Lighthouse and the
# site audit take the full browser (Debian's chromium), which `make browser-deps` does not install.
CHROMIUM ?= /usr/bin/chromium-headless-shell
# pytest-xdist: WORKERS processes, each with its own test database, live servers and upload
# directory. A whole file goes to one worker (modules share the demo they load), files are handed
# out in collection order so that browser files come last (tests/conftest.py).
WORKERS ?= 2
XDIST := -n $(WORKERS) --dist loadfile --no-loadscope-reorder

.DEFAULT_GOAL := help
.PHONY: help pdf-deps run install install-test migrate demo messages compilemessages lint format test test-fast test-sqlite test-postgres mutation browser-deps java-deps redis-deps check-deploy bench prod prod-stop prod-status backup restore clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create the virtual environment and install the site's requirements

install-test: $(VENV)/.installed-test ## Install what the tests need as well

compilemessages: $(VENV)/.installed ## Compile locale/*.po to .mo (pure Python, no gettext needed)
	$(PY) -m cms.compilemessages

messages: $(VENV)/.installed ## Extract UI strings into locale/en (needs GNU gettext), then compile
	$(MANAGE) makemessages -l en --no-obsolete -i ".venv/*" -i "media*" -i "static_collected/*" -i "tests/*" -i "bench/*"
	$(PY) -m cms.compilemessages

# A new SQLite database starts from the committed schema snapshot (cms/schema/sqlite.sql), then
# migrates as usual; PostgreSQL and existing databases just migrate.
migrate: $(VENV)/.installed compilemessages ## Apply database migrations (quiet unless one fails)
	$(MANAGE) schema_snapshot --migrate --verbosity 0

demo: migrate ## Load the demo county (idempotent)
	$(MANAGE) load_demo --host http://$(HOST):$(PORT)

# Five steps with a line each; the server's banner comes first and the logins last, once it answers.
run: ## Set up and serve the demo site at http://127.0.0.1:8000/ (admin at /admin/), with the task worker
	@echo "1/5 Pakete installieren (beim ersten Mal ein bis zwei Minuten) …"
	@$(MAKE) --no-print-directory -s install
	@echo "2/5 Übersetzungen und Systembibliotheken prüfen …"
	@$(MAKE) --no-print-directory -s compilemessages >/dev/null
	@$(MAKE) --no-print-directory -s pdf-deps
	@echo "3/5 Datenbank einrichten …"
	@$(MANAGE) schema_snapshot --migrate --verbosity 0
	@echo "4/5 Demo-Landkreis laden …"
	@mkdir -p var && $(MANAGE) load_demo --host http://$(HOST):$(PORT) --logins-file var/demo-logins.txt
	@echo "5/5 Server und Hintergrund-Worker (Importe) starten …"
	@# The background worker runs beside the server and stops with it.
	@$(MANAGE) db_worker --backend background --no-reload --no-startup-delay --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT) & server=$$!; \
	$(PY) -m demo.wait http://$(HOST):$(PORT)/ && cat var/demo-logins.txt; wait $$server

lint: $(VENV)/.installed-test ## ruff (lint, format), mypy (types), lint-imports (import directions, no cycles)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: $(VENV)/.installed-test ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: $(VENV)/.installed ## Django's deploy checks on production settings (example environment)
	DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY="example-only-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
		ALLOWED_HOSTS=zukunft.example.de DATABASE_URL=postgres://u:p@localhost/db REDIS_URL=redis://localhost:6379/0 \
		$(MANAGE) check --deploy --fail-level WARNING

browser-deps: ## Install Debian's chromium-headless-shell for the browser tests when missing (needs root)
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium-headless-shell for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; \
	fi

java-deps: ## Install Debian's Java runtime for the Nu HTML Checker test (vnu.jar) when missing (needs root)
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's default-jre-headless for the Nu HTML Checker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else echo "!!! java is missing and cannot be installed here: the Nu HTML Checker test (marked 'java') will not run"; fi

pdf-deps: ## Install the system libraries WeasyPrint needs for the PDF when missing (needs root)
	@if ldconfig -p | grep -q libharfbuzz-subset && ldconfig -p | grep -q libpangoft2; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing the Pango/HarfBuzz libraries WeasyPrint needs"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	else echo "!!! WeasyPrint's libraries (Pango, HarfBuzz subset) are missing: the strategy PDF will not work"; fi

redis-deps: ## Install Debian's redis-server for the tests that start one when missing (needs root)
	@if command -v redis-server >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's redis-server for the tests with a shared cache"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	else echo "!!! redis-server is missing and cannot be installed here: the shared-cache tests (marked 'redis') will not run"; fi

test: install-test compilemessages browser-deps java-deps pdf-deps redis-deps ## Run everything CI runs: lint, types, import contracts, migrations, deploy check, pytest on SQLite and PostgreSQL
	bash .ci/test.sh

test-fast: install-test compilemessages ## Unit and HTTP tests only: SQLite, parallel, no browser, no redis (ARGS="-k ..." to select)
	DATABASE_URL=sqlite:///$(CURDIR)/db-test.sqlite3 $(PY) -m pytest $(XDIST) -m "not browser and not redis" $(ARGS)

test-sqlite: install-test compilemessages ## pytest on SQLite only, parallel (ARGS="-k ..." to select, ARGS="-n 0" for one process)
	DATABASE_URL=sqlite:///$(CURDIR)/db-test.sqlite3 $(PY) -m pytest $(XDIST) $(ARGS)

test-postgres: install-test compilemessages ## pytest on PostgreSQL only, parallel (DATABASE_URL or the local cluster)
	DATABASE_URL=$$(bash .ci/postgres.sh) $(PY) -m pytest $(XDIST) $(ARGS)

mutation: install-test compilemessages ## Mutation score of permissions, facets, import, roll-up (mutmut; slow, not in CI)
	bash bench/mutation.sh

bench: install-test ## Benchmarks (see bench/README.md)
	$(PY) bench/catalogue_bench.py

# The production stack on this machine (docs/deployment.md): ports and names as in deploy/prod.py.
PROD_ENV := .prod/prod.env
BACKUP ?=

prod: install pdf-deps ## Start the production stack here: PostgreSQL, Redis, 2 gunicorn app servers, task worker, Caddy (root installs Debian's packages)
	$(PY) deploy/prod.py up

prod-stop: ## Stop the production stack (PostgreSQL keeps running)
	$(PY) deploy/prod.py down

prod-status: ## Whether the production stack runs and answers
	$(PY) deploy/prod.py status

backup: ## Back up the production stack's database (pg_dump custom format) and media files into backups/
	@test -f $(PROD_ENV) || { echo "No $(PROD_ENV): start the stack once with make prod"; exit 1; }
	set -a && . ./$(PROD_ENV) && set +a && $(MANAGE) backup_site --output backups

restore: ## Restore BACKUP=backups/<date> into the production stack's database (stop it first: make prod-stop)
	@test -n "$(BACKUP)" || { echo "Say which: make restore BACKUP=backups/<date>"; exit 1; }
	@test -f $(PROD_ENV) || { echo "No $(PROD_ENV): start the stack once with make prod"; exit 1; }
	set -a && . ./$(PROD_ENV) && set +a && $(MANAGE) restore_site $(BACKUP) --database-url "$$DATABASE_URL" --clean

clean: ## Remove the virtual environment, the SQLite database and generated files
	rm -rf $(VENV) db.sqlite3 db-test.sqlite3 media media-test private-test var static_collected .prod \
		.pytest_cache .ruff_cache .mypy_cache .import_linter_cache bench/results test-results mutants
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.mo' \) -print | xargs rm -rf
