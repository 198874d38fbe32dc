#!/usr/bin/env bash
# Page-load benchmark: the release server and site, a signed-in account with a
# history (`server bench seed-pages`), and Chromium throttled (bench/pageload.spec.ts).
# Usage: bench/pageload.sh PATH_TO_RELEASE_SERVER   (make bench builds and passes it)
set -euo pipefail
server_bin=${1:?path to the release server binary}
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-3301}
data=$(mktemp -d)
cookie=$(DATA_DIR=$data RUST_LOG=warn "$server_bin" bench seed-pages --generations "${BENCH_GENERATIONS:-500}")
DATA_DIR=$data LISTEN_ADDR=127.0.0.1:$port PUBLIC_URL=http://localhost:$port RUST_LOG=warn \
  "$server_bin" serve >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -fs "http://localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "http://localhost:$port/readyz" >/dev/null || { echo "server did not start"; cat "$data/server.log"; exit 1; }
cd bench
BENCH_URL=http://localhost:$port BENCH_COOKIE=$cookie npx playwright test --config playwright.config.ts
echo "written to bench/results/pageload.md"
