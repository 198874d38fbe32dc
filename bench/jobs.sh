#!/usr/bin/env bash
# Job engine benchmarks: jobs claimed and completed per second by several
# workers (local provider answering instantly, benchmark only), and the latency
# from a fal webhook arriving to the event reaching an SSE client.
# Usage: bench/jobs.sh PATH_TO_RELEASE_SERVER   (make bench builds and passes it)
set -euo pipefail
server_bin=${1:?path to the release server binary}
cd "$(dirname "$0")/.."
out_dir=bench/results
mkdir -p "$out_dir"
out="$out_dir/jobs.md"
pg_admin=${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
data=$(mktemp -d)
pg_db="fw_bench_jobs_$$"
cleanup() {
  rm -rf "$data"
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
jobs=(bench jobs --jobs "${BENCH_JOBS:-1000}" --workers "${BENCH_WORKERS:-4}")

{
  echo "| engine | jobs | workers | queued/s | completed/s | time | invariants |"
  echo "|---|---|---|---|---|---|---|"
  DATA_DIR=$data RUST_LOG=warn JOB_WORKERS=0 "$server_bin" "${jobs[@]}"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  DATA_DIR=$data DATABASE_URL="postgres://postgres@127.0.0.1:5432/$pg_db" DATABASE_MAX_CONNECTIONS=20 \
    RUST_LOG=warn JOB_WORKERS=0 "$server_bin" "${jobs[@]}"
  echo
  echo "| engine | webhooks | p50 | p99 | max |"
  echo "|---|---|---|---|---|"
  RUST_LOG=warn FW_TEST_DB=sqlite "$server_bin" bench webhook-sse --webhooks "${BENCH_WEBHOOKS:-200}"
  RUST_LOG=warn FW_TEST_DB=postgres FW_TEST_PG_ADMIN_URL="$pg_admin" "$server_bin" bench webhook-sse --webhooks "${BENCH_WEBHOOKS:-200}"
} | tee "$out"
