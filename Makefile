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

SERVER_DEBUG := $(CARGO_TARGET_DIR)/debug/server
SERVER_RELEASE := $(CARGO_TARGET_DIR)/release/server
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: run dev build build-release tools test-tools test fmt-check clippy test-rust test-sqlite test-postgres e2e wasm-release-check bench clean-test-dbs ensure-postgres

## run: install what is missing, build in release mode, migrate and serve http://localhost:3000
run: tools build-release
	$(SERVER_RELEASE) serve

## dev: rebuild and reload on every change
dev: tools
	cargo leptos watch

build: tools
	cargo leptos build

build-release: tools
	cargo leptos build --release

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
test: tools test-tools fmt-check clippy test-rust e2e wasm-release-check
	@echo "make test: all suites passed"

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p server -p app -p migration --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

test-rust: test-sqlite test-postgres

# Integration tests run one at a time: several apps rendering pages concurrently inside one
# test process can leave a page render waiting forever (a Leptos process-global shared across
# the tests' runtimes; a single server under load is unaffected, see bench/ and e2e).
INTEGRATION_ARGS := -- --test-threads=1

test-sqlite:
	FW_TEST_DB=sqlite timeout 1200 cargo test -p app -p server -p migration --features app/ssr $(INTEGRATION_ARGS)

test-postgres: ensure-postgres
	# The same packages and features as test-sqlite, so nothing is compiled twice.
	FW_TEST_DB=postgres FW_TEST_PG_ADMIN_URL=$(PG_ADMIN_URL) timeout 1200 cargo test -p app -p server -p migration --features app/ssr $(INTEGRATION_ARGS)

e2e: build
	SERVER_BIN=$(SERVER_DEBUG) npx playwright test --config end2end/playwright.config.ts

# The release wasm (what `make run` serves) compiles differently from the debug one: build it too.
wasm-release-check:
	cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release --target-dir $(CARGO_TARGET_DIR)/front

## bench: release build, then load tests; results printed and written to bench/results/
bench: tools build-release ensure-postgres
	bash bench/http.sh $(SERVER_RELEASE)
	bash bench/credits.sh $(SERVER_RELEASE)
	bash bench/jobs.sh $(SERVER_RELEASE)

clean-test-dbs:
	psql "$(PG_ADMIN_URL)" -Atc "select datname from pg_database where datname like 'fw_test_%'" | xargs -r -I{} psql "$(PG_ADMIN_URL)" -c 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'
