#!/usr/bin/env bash
# Live interoperability check: the Rust `mam` tool against IOTA's reference
# JavaScript libraries (@iota/mam 0.7.3, @iota/mam.js 1.0.0-beta.10,
# @iota/core 1.0.0-beta.30), with fresh random seeds, side keys and messages
# on every run. See interop/README.md.
#
# Replay a failing run with the INTEROP_RANDOM_SEED it prints.
# INTEROP_WORKERS sets the threads per test file for the reference libraries
# (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release -p mam-cli --bin mam
# test/protocol.test.mjs runs this test on fresh vectors; building it here
# keeps the compile out of that file's time limit.
cargo test --quiet --release -p consent-protocol --test protocol_vectors --no-run
export MAM_BIN="$PWD/target/release/mam"

cd interop
# npm writes node_modules/.package-lock.json on every install; install when it
# is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Files run two at a time, each with its own pool of reference threads, the
# slowest first; the whole check is sized to stay under five minutes on two cores.
slow=(test/mam-messages.test.mjs test/mam-channels.test.mjs)
files=("${slow[@]}")
for file in test/*.test.mjs; do
  [[ " ${slow[*]} " == *" $file "* ]] || files+=("$file")
done
started=$SECONDS
node --test --test-concurrency=2 --test-timeout=240000 "${files[@]}"
echo "live cross-check finished in $((SECONDS - started)) s"
