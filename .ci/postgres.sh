#!/usr/bin/env bash
# Prints a DATABASE_URL for a PostgreSQL the test run may use, or exits non-zero saying why not.
# Uses $DATABASE_URL when given; otherwise starts the local Debian cluster (installing it as root
# when missing) and creates a role and database for the run.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then
  echo "$DATABASE_URL"
  exit 0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing Debian's postgresql package" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || {
      echo "could not install PostgreSQL" >&2; exit 3; }
  else
    echo "PostgreSQL is not installed and cannot be installed here (not root)" >&2
    exit 3
  fi
fi

cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  echo "no PostgreSQL cluster found (pg_lsclusters is empty)" >&2
  exit 3
fi
set -- $cluster
version=$1; name=$2
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
  pg_ctlcluster "$version" "$name" start >&2 || { echo "could not start PostgreSQL $version/$name" >&2; exit 3; }
fi

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; elif [ "$(id -u)" = "0" ]; then su postgres -c "$(printf '%q ' "$@")"; else sudo -u postgres "$@"; fi
}

role=zukunftsprofil
password=zukunftsprofil
as_postgres psql -q -p "$port" -d postgres -v ON_ERROR_STOP=1 >&2 <<SQL || { echo "could not create the test role" >&2; exit 3; }
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL
if ! as_postgres psql -p "$port" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$role'" | grep -q 1; then
  as_postgres createdb -p "$port" -O "$role" "$role" >&2
fi
echo "postgres://$role:$password@127.0.0.1:$port/$role"
