# Framewright — the two commands people need are `make run` and `make test`.
# Everything they need is installed by these targets; a second run skips what is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130

# One shared build cache outside the clone: fresh clones (CI) reuse earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/framewright/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_SITE_ROOT ?= target/site
# leptos reads this at compile time: every cargo call must see the same value, or the
# server is rebuilt whenever `cargo test` and `cargo leptos` alternate.
export LEPTOS_OUTPUT_NAME := framewright
# Release files are named by content hash (`hash-files` in Cargo.toml); the list of hashes
# goes in the site root, where the server looks for it and where each build replaces it.
export LEPTOS_HASH_FILE_NAME := $(abspath $(LEPTOS_SITE_ROOT))/hash.txt
# Each route beyond / and /sign-in is its own wasm chunk; every file gets brotli and gzip twins.
LEPTOS_RELEASE_FLAGS := --release --split --precompress

SERVER_DEBUG := $(CARGO_TARGET_DIR)/debug/server
SERVER_RELEASE := $(CARGO_TARGET_DIR)/release/server
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: run dev build build-release tools test-tools test fmt-check clippy test-build test-rust test-sqlite test-postgres ensure-nextest e2e e2e-run bench bench-build clean-test-dbs ensure-postgres

## run: install what is missing, build in release mode, migrate and serve http://localhost:3000
run: tools build-release
	$(SERVER_RELEASE) serve

## dev: rebuild and reload on every change
dev: tools
	cargo leptos watch

build: tools
	cargo leptos build

build-release: tools
	cargo leptos build $(LEPTOS_RELEASE_FLAGS)

## tools: the wasm target, cargo-leptos, wasm-bindgen-cli and the npm tools (tailwindcss, wasm-opt, playwright)
tools: node_modules/.installed
	@command -v nasm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nasm; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install --locked cargo-leptos@$(CARGO_LEPTOS_VERSION) --features no_downloads
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	touch $@

## test-tools: what only the tests need: Chromium, an S3-compatible server (s3s-fs) and an SMTP sink (aiosmtpd)
test-tools:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q 'aiosmtpd==1.*'
	@s3s-fs --help >/dev/null 2>&1 || cargo install --locked s3s-fs --version 0.14.1 --features binary

ensure-postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2; }

## test: formatting, clippy, unit + integration tests on SQLite and PostgreSQL, then Playwright in Chromium
# One build serves every suite: `cargo test --no-run` compiles the tests and the debug server
# (with the test harness), cargo-leptos compiles the release wasm and CSS only. Then the SQLite,
# PostgreSQL and browser suites run side by side.
test: tools test-tools fmt-check clippy test-build
	$(MAKE) -j3 --output-sync=target test-sqlite test-postgres e2e-run
	@echo "make test: all suites passed"

# The packages and features every test command uses, so nothing is compiled twice.
TEST_PACKAGES := -p app -p server -p migration --features app/ssr,server/test-support

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy $(TEST_PACKAGES) --all-targets -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

test-build:
	cargo test $(TEST_PACKAGES) --no-run
	cargo leptos build $(LEPTOS_RELEASE_FLAGS) --frontend-only

test-rust: test-sqlite test-postgres

# Each test runs in its own process (nextest): several apps rendering pages on separate
# current-thread runtimes inside one test process could leave a render waiting forever
# (see README, "Tests"); one process per test isolates them and still runs them in parallel.
NEXTEST := cargo nextest run $(TEST_PACKAGES) --no-fail-fast --test-threads 4

test-sqlite: ensure-nextest
	FW_TEST_DB=sqlite timeout 1500 $(NEXTEST)

test-postgres: ensure-nextest ensure-postgres
	FW_TEST_DB=postgres FW_TEST_PG_ADMIN_URL=$(PG_ADMIN_URL) timeout 1500 $(NEXTEST)

ensure-nextest:
	@cargo nextest --version >/dev/null 2>&1 || cargo install --locked cargo-nextest

# The browser suite runs the debug server `cargo test` built (it has the sample writer the
# video spec needs) against the release site cargo-leptos built (what `make run` serves).
e2e: tools test-build e2e-run

e2e-run:
	SERVER_BIN=$(SERVER_DEBUG) npx playwright test --config end2end/playwright.config.ts

## bench: release build, then load tests; results printed and written to bench/results/
# The benchmark commands live behind the `test-support` feature: the release server is
# rebuilt with it (only the server crate recompiles).
bench: tools build-release ensure-postgres bench-build
	bash bench/http.sh $(SERVER_RELEASE)
	bash bench/pageload.sh $(SERVER_RELEASE)
	bash bench/bundle.sh
	bash bench/credits.sh $(SERVER_RELEASE)
	bash bench/jobs.sh $(SERVER_RELEASE)

bench-build:
	cargo build --release -p server --features test-support

clean-test-dbs:
	psql "$(PG_ADMIN_URL)" -Atc "select datname from pg_database where datname like 'fw_test_%'" | xargs -r -I{} psql "$(PG_ADMIN_URL)" -c 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'
