#!/usr/bin/env bash
# The whole test run: lint, types, import contracts, migrations, deploy checks, pytest on SQLite and on PostgreSQL.
# What cannot run here is said loudly; with CI=true it is a failure, never a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0
missing=()

step() { printf '\n=== %s ===\n' "$1"; }
fail() { echo "FAILED: $1"; status=1; }

step "ruff"
.venv/bin/ruff check . || fail "ruff check"
.venv/bin/ruff format --check . || fail "ruff format"

step "mypy (django-stubs; strict on the modules listed in pyproject.toml)"
.venv/bin/mypy || fail "mypy"

step "import contracts (.importlinter: directions of docs/architecture.md, no cycles)"
.venv/bin/lint-imports --no-cache --no-logo || fail "lint-imports"

step "migrations are complete"
$PY manage.py makemigrations --check --dry-run || fail "makemigrations --check"

step "deploy checks (production settings, example environment)"
DJANGO_SETTINGS_MODULE=cms.settings.production \
SECRET_KEY="example-only-$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
ALLOWED_HOSTS=zukunft.example.de DATABASE_URL=postgres://u:p@localhost/db REDIS_URL=redis://localhost:6379/0 \
  $PY manage.py check --deploy --fail-level WARNING || fail "check --deploy"

# The browser tests take Debian's chromium-headless-shell, the full browser where it is missing.
chromium="${CHROMIUM_PATH:-$(command -v chromium-headless-shell || command -v chromium || echo /usr/bin/chromium-headless-shell)}"
skip_markers=()
if [ ! -x "$chromium" ]; then
  echo "!!! Chromium is missing ($chromium): the browser tests (marked 'browser') DID NOT RUN."
  missing+=("browser tests (no Chromium)")
  skip_markers+=("browser")
fi
# The Nu HTML Checker (vnu.jar, test marked 'java') runs on Java.
if ! command -v java >/dev/null 2>&1; then
  echo "!!! java is missing: the Nu HTML Checker test (marked 'java') DID NOT RUN."
  missing+=("HTML validity test (no java)")
  skip_markers+=("java")
fi
# Tests marked 'redis' start their own redis-server (two app servers sharing one cache).
if ! command -v redis-server >/dev/null 2>&1; then
  echo "!!! redis-server is missing: the tests with a shared cache (marked 'redis') DID NOT RUN."
  missing+=("shared-cache tests (no redis-server)")
  skip_markers+=("redis")
fi
# pytest-xdist: one process per core (this machine and CI have 2), each with its own test database
# (SQLite in memory; PostgreSQL test_<name>_gw0, _gw1 …), live servers and upload directory.
# Whole files per worker, in collection order, so that browser files come last on each worker.
# --durations=25: every log shows where the time goes (setup of each worker, the slowest files).
xdist_args=(-n "${PYTEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder --durations=25)
# The order stays fixed here until the suite has passed in random order three times running
# (docs/testing.md); PYTEST_ORDER=random shuffles (pytest-randomly prints the seed).
if [ "${PYTEST_ORDER:-fixed}" != "random" ]; then
  xdist_args+=(-p no:randomly)
fi
browser_args=()
if [ ${#skip_markers[@]} -gt 0 ]; then
  expression="not ${skip_markers[0]}"
  for marker in "${skip_markers[@]:1}"; do expression="$expression and not $marker"; done
  browser_args=(-m "$expression")
fi

step "pytest on SQLite"
DATABASE_URL="sqlite:///$PWD/db-test.sqlite3" $PY -m pytest "${xdist_args[@]}" "${browser_args[@]}" || fail "pytest on SQLite"

step "pytest on PostgreSQL"
if pg_url=$(bash .ci/postgres.sh); then
  DATABASE_URL="$pg_url" $PY -m pytest "${xdist_args[@]}" "${browser_args[@]}" || fail "pytest on PostgreSQL"
else
  echo "!!! PostgreSQL could not be had: the PostgreSQL test run DID NOT RUN."
  missing+=("pytest on PostgreSQL")
fi

if [ ${#missing[@]} -gt 0 ]; then
  printf '\n!!! NOT RUN: %s\n' "${missing[*]}"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: a run with parts missing is a failure."
    status=1
  fi
fi
exit $status
