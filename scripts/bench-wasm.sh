#!/usr/bin/env bash
# MAM create+parse throughput of mam-lib compiled to WebAssembly, run in
# Node.js (V8, the engine of Chromium). Same workload as
# `cargo bench -p mam-lib --bench mam_create_parse`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
cargo build --quiet -p mam-lib --example wasm_bench --release \
  --target wasm32-unknown-unknown
out=target/wasm-bench
wasm-bindgen --target nodejs --out-dir "$out" \
  target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm
node scripts/bench-wasm.mjs "$PWD/$out" interop/bench-message.json
