#!/usr/bin/env bash
# Ledger benchmark: concurrent charges per second through the real ledger code
# on SQLite and on PostgreSQL, with the invariants (ledger == balance, never
# negative, exact totals) checked after each run by the benchmark itself.
# Usage: bench/credits.sh PATH_TO_RELEASE_SERVER   (make bench builds and passes it)
set -euo pipefail
server_bin=${1:?path to the release server binary}
cd "$(dirname "$0")/.."
out_dir=bench/results
mkdir -p "$out_dir"
out="$out_dir/credits.md"
args=(bench credits --users "${BENCH_USERS:-200}" --concurrency "${BENCH_CONCURRENCY:-32}" --charges "${BENCH_CHARGES:-20000}")

data=$(mktemp -d)
pg_db="fw_bench_$$"
pg_admin=${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
cleanup() {
  rm -rf "$data"
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
}
trap cleanup EXIT

{
  echo "| engine | users | concurrency | charges | charges/s | time | invariants |"
  echo "|---|---|---|---|---|---|---|"
  DATA_DIR=$data RUST_LOG=warn "$server_bin" "${args[@]}"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  DATA_DIR=$data DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pg_db" DATABASE_MAX_CONNECTIONS=40 RUST_LOG=warn \
    "$server_bin" "${args[@]}"
} | tee "$out"
