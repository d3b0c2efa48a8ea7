#!/usr/bin/env bash
# Starts the machine's PostgreSQL (installing it from Debian if missing) and makes a
# role and database for Quanyu's tests and benchmarks. Prints the DATABASE_URL.
# Needs root (apt-get, pg_ctlcluster). Safe to run twice.
set -euo pipefail
ROLE=${QUANYU_PG_ROLE:-quanyu}
PASSWORD=${QUANYU_PG_PASSWORD:-quanyu}
DB=${QUANYU_PG_DB:-quanyu_test}

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$VERSION main"; then pg_createcluster "$VERSION" main >&2; fi
if ! pg_lsclusters -h | grep "^$VERSION main" | grep -q online; then pg_ctlcluster "$VERSION" main start >&2; fi
for _ in $(seq 1 30); do su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done

su postgres -c "psql -qAt" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'; END IF;
END \$\$;
SQL
if ! su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"" | grep -q 1; then
  su postgres -c "createdb -O $ROLE $DB" >&2
fi
echo "postgres://$ROLE:$PASSWORD@127.0.0.1:5432/$DB"
