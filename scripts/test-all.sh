#!/usr/bin/env bash
# Runs every test of the project: formatting and lints (native and wasm32),
# the Rust unit, property and integration tests, the live cross-checks
# against IOTA's JavaScript reference libraries, and in headless Chromium the
# node client compiled to wasm and the browser apps. Installs what it needs
# first (scripts/install-deps.sh).
# Stops at the first failing suite and says which.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
log=$(mktemp)
trap 'rm -f "$log"' EXIT
suite() {
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS
  if ! "$@" 2>&1 | tee -a "$log"; then
    printf '\n=== FAILED: %s (after %ss)\n' "$name" $((SECONDS - t0))
    exit 1
  fi
  printf '=== ok: %s (%ss)\n' "$name" $((SECONDS - t0))
}

suite "install dependencies" bash scripts/install-deps.sh
suite "cargo fmt --check" cargo fmt --all -- --check
suite "cargo clippy -D warnings" cargo clippy --workspace --all-targets --quiet -- -D warnings
# The browser builds: their cfg(target_arch = "wasm32") code (fetch transport,
# Date.now() clock, the apps) and the tests as they compile for wasm.
suite "cargo clippy -D warnings (wasm32)" cargo clippy --target wasm32-unknown-unknown --all-targets --quiet \
  -p mam-lib -p iri-api -p iri-client -p consent-protocol -p p1-telegram -p meter-aggregate -p browser-app -p my-home-wasm -p wattt-wasm \
  -p pow-worker -- -D warnings
suite "library crates build for wasm32" cargo build --quiet --target wasm32-unknown-unknown \
  -p mam-lib -p iri-api -p iri-client -p consent-protocol -p p1-telegram -p meter-aggregate -p browser-app
suite "Rust tests (release)" cargo test --workspace --release
suite "live cross-check with @iota/mam, @iota/mam.js, @iota/core" bash scripts/test-interop.sh
if [ -f scripts/test-node-interop.sh ]; then
  suite "legacy JS clients against tangle-node" bash scripts/test-node-interop.sh
fi
suite "node client (wasm) in headless Chromium against tangle-node" bash scripts/test-wasm-client.sh
suite "browser apps in headless Chromium" bash scripts/test-browser.sh
suite "proof of work in Web Workers in headless Chromium" bash scripts/bench-pow-browser.sh --quick
# The short form of Wattt's reading benchmark (300 messages; the full day is
# `bash scripts/bench-wattt.sh`): every reading read and charted, the cache used.
suite "Wattt reading a seeded channel in headless Chromium" bash scripts/bench-wattt.sh --quick --skip-build

# One closing line over all runners: cargo's "test result: ok. N passed; M
# failed" and node's "# pass N" / "# fail M".
passed=$(awk '/^test result:/ { s += $4 } /^# pass / { s += $3 } END { print s + 0 }' "$log")
failed=$(awk '/^test result:/ { s += $6 } /^# fail / { s += $3 } END { print s + 0 }' "$log")
printf '\nAll suites passed in %ss.\n' $((SECONDS - started))
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"
