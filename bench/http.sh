#!/usr/bin/env bash
# HTTP benchmark: server-rendered pages against a static asset of the same server,
# 50 connections each, plus the server's memory idle and under load. The signed-in
# pages (/library, /generations, /credits) are those of an account with a real
# history: `server bench seed-pages` runs 500 generations for it first (each leaves
# a library item and its ledger rows) and hands over its session cookie.
# Usage: bench/http.sh PATH_TO_RELEASE_SERVER   (make bench builds and passes it)
set -euo pipefail
server_bin=${1:?path to the release server binary}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "installing wrk"; ${SUDO:-} apt-get install -y -qq wrk; }

port=${BENCH_PORT:-3300}
duration=${BENCH_DURATION:-10s}
connections=50
data=$(mktemp -d)
out_dir=bench/results
mkdir -p "$out_dir"
out="$out_dir/http.md"

# The CSS under its content-hashed name (hash-files), as pages link it.
css_hash=$(awk -F': *' '$1 == "css" {print $2}' target/site/hash.txt 2>/dev/null || true)
css="/pkg/framewright${css_hash:+.$css_hash}.css"
generations=${BENCH_GENERATIONS:-500}
cookie=$(DATA_DIR=$data RUST_LOG=warn "$server_bin" bench seed-pages --generations "$generations")

DATA_DIR=$data LISTEN_ADDR=127.0.0.1:$port PUBLIC_URL=http://localhost:$port RUST_LOG=warn \
  "$server_bin" serve >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -fs "http://localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "http://localhost:$port/readyz" >/dev/null || { echo "server did not start"; cat "$data/server.log"; exit 1; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
# Warm up once so "idle" means "ready to serve", not "just exec'd".
curl -fs "http://localhost:$port/" >/dev/null
curl -fs "http://localhost:$port$css" >/dev/null
idle_rss=$(rss_kib)

peak_file="$data/peak"
echo 0 >"$peak_file"
sample_peak() {
  while kill -0 "$pid" 2>/dev/null; do
    now=$(rss_kib); peak=$(cat "$peak_file")
    [ "${now:-0}" -gt "$peak" ] && echo "$now" >"$peak_file"
    sleep 0.2
  done
}
sample_peak & sampler=$!

run_wrk() { # url [header] -> "rps p50 p99"
  wrk -t2 -c$connections -d"$duration" --latency ${2:+-H "$2"} "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    END {print rps, p50, p99}'
}
read -r page_rps page_p50 page_p99 < <(run_wrk "http://localhost:$port/")
read -r static_rps static_p50 static_p99 < <(run_wrk "http://localhost:$port$css")
# Signed in: the page must answer 200 with the account's data, not a sign-in page.
curl -fs -H "Cookie: $cookie" "http://localhost:$port/library" | grep -q "study $((generations - 1))" \
  || { echo "the seeded library does not show the newest item"; exit 1; }
read -r library_rps library_p50 library_p99 < <(run_wrk "http://localhost:$port/library" "Cookie: $cookie")
read -r generations_rps generations_p50 generations_p99 < <(run_wrk "http://localhost:$port/generations" "Cookie: $cookie")
read -r credits_rps credits_p50 credits_p99 < <(run_wrk "http://localhost:$port/credits" "Cookie: $cookie")
kill $sampler 2>/dev/null || true
load_rss=$(cat "$peak_file")
ratio() { awk -v a="$1" -v b="$static_rps" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }

{
  echo "# HTTP benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk $connections connections, $duration each)"
  echo
  echo "| target | requests/s | of static | p50 | p99 |"
  echo "|---|---:|---:|---:|---:|"
  echo "| static \`$css\` | $static_rps | 100% | $static_p50 | $static_p99 |"
  echo "| SSR home page \`/\` (signed out) | $page_rps | $(ratio "$page_rps") | $page_p50 | $page_p99 |"
  echo "| SSR \`/library\` ($generations items) | $library_rps | $(ratio "$library_rps") | $library_p50 | $library_p99 |"
  echo "| SSR \`/generations\` ($generations jobs) | $generations_rps | $(ratio "$generations_rps") | $generations_p50 | $generations_p99 |"
  echo "| SSR \`/credits\` ($generations ledger rows) | $credits_rps | $(ratio "$credits_rps") | $credits_p50 | $credits_p99 |"
  echo
  echo "| server RSS | MiB |"
  echo "|---|---:|"
  echo "| idle | $(awk -v k="$idle_rss" 'BEGIN {printf "%.1f", k / 1024}') |"
  echo "| peak under load | $(awk -v k="$load_rss" 'BEGIN {printf "%.1f", k / 1024}') |"
} | tee "$out"
echo "written to $out"
