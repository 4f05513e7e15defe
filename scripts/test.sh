#!/usr/bin/env bash
# `npm test`: typecheck, then every test on the embedded default (SQLite), then the integration suite again
# on the in-memory engine and on PostgreSQL. The PostgreSQL tests (issue #21) run on a throwaway cluster started here
# (scripts/pg-test-cluster.sh) unless COSLOCAL_TEST_POSTGRES_URL names a server already; without PostgreSQL
# they skip, saying why (test/helpers/postgres.ts), except where CI or COSLOCAL_INTEROP_REQUIRED=1 demands them.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run typecheck

run_tests() { node --import tsx --test --test-concurrency=2 --test-timeout=300000 "$@"; }
integration() { find test/integration -name '*.test.ts' | sort; }

if [ -z "${COSLOCAL_TEST_POSTGRES_URL:-}" ]; then
  pg_dir=$(mktemp -d /tmp/coslocal-test-pg.XXXXXX)
  trap 'scripts/pg-test-cluster.sh stop "$pg_dir"' EXIT
  if url=$(scripts/pg-test-cluster.sh start "$pg_dir"); then
    export COSLOCAL_TEST_POSTGRES_URL=$url
  else
    echo "npm test: PostgreSQL did not start (above); the tests that need it skip" >&2
  fi
fi

run_tests $(find src test -name '*.test.ts' | sort)
COSLOCAL_TEST_ENGINE=memory run_tests $(integration)
if [ -n "${COSLOCAL_TEST_POSTGRES_URL:-}" ]; then
  COSLOCAL_TEST_ENGINE=postgres run_tests $(integration)
else
  echo "npm test: no PostgreSQL, so the integration suite did not run on it" >&2
  # Where every suite is demanded, that is a failure, not a skip.
  if [ -n "${CI:-}" ] || [ "${COSLOCAL_INTEROP_REQUIRED:-}" = 1 ]; then exit 1; fi
fi
