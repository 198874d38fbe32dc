#!/usr/bin/env bash
# What the browser downloads: every wasm and JS file of the release site with its
# size raw and as sent (the brotli twin made by --precompress), the main bundle
# (what `/` and `/sign-in` load) and each route chunk (the split manifest says which
# lazy function each chunk serves).
# Usage: bench/bundle.sh   (after `cargo leptos build --release --split --precompress`)
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=${LEPTOS_SITE_ROOT:-target/site}/pkg
out_dir=bench/results
mkdir -p "$out_dir"
out="$out_dir/bundle.md"
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
kib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1024}'; }
{
  echo "# Bundle ($(date -u +%Y-%m-%dT%H:%MZ), $pkg)"
  echo
  echo "| file | raw KiB | brotli KiB |"
  echo "|---|---:|---:|"
  main_raw=0; main_br=0; all_br=0
  for f in $(ls -S "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css 2>/dev/null); do
    name=$(basename "$f"); raw=$(size "$f"); br=$(size "$f.br")
    all_br=$((all_br + br))
    case "$name" in
      framewright.*|framewright_*|__wasm_split.*) main_raw=$((main_raw + raw)); main_br=$((main_br + br)); label="$name (main)";;
      *) label="$name";;
    esac
    echo "| $label | $(kib "$raw") | $(kib "$br") |"
  done
  echo
  echo "Main bundle (wasm + JS + CSS every page loads): $(kib "$main_raw") KiB raw, **$(kib "$main_br") KiB brotli**; all files: $(kib "$all_br") KiB brotli."
  manifest=$(ls "$pkg"/__wasm_split_manifest*.json 2>/dev/null | head -1 || true)
  if [ -n "$manifest" ]; then
    echo
    echo "Chunks per lazy function (split manifest):"
    echo
    echo '```'
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); [print(k, "->", " ".join(v)) for k,v in sorted(m.items())]' "$manifest"
    echo '```'
  fi
} | tee "$out"
echo "written to $out"
