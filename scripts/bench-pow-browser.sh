#!/usr/bin/env bash
# Proof of work for one transaction in headless Chromium, through the apps'
# Web Worker pool (browser-app/src/pow/, the pow-bench page built by Trunk),
# against the native search in the same run (pow-worker's native_pow
# example, as many threads as the browser has workers), on the same
# transactions. Prints median and mean per MWM and their ratio; every nonce
# found must give its transaction the weight. Then the page sends a message
# with the apps' Attacher (local and node proof of work) to a fresh
# tangle-node (MWM 9, loopback) and reads it back.
#
#   scripts/bench-pow-browser.sh [--trials N] [--mwm 9,14]   the benchmark
#   scripts/bench-pow-browser.sh --quick                     MWM 9, 3 trials (a test)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

trials=10
mwm=9,14
quick=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=(--quick); trials=3; mwm=9 ;;
    --trials) trials=$2; shift ;;
    --mwm) mwm=$2; shift ;;
    *) echo "usage: $0 [--quick] [--trials N] [--mwm 9,14]" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/install-deps.sh >/dev/null
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
# Trunk runs cargo offline (Trunk.toml): fetch first.
cargo fetch --quiet
echo "[bench-pow] native_pow (release)"
cargo build --quiet --release -p pow-worker --example native_pow
cargo build --quiet --release -p tangle-node --bin tangle-node
echo "[bench-pow] trunk build browser-app/src/pow/bench -> target/pow-bench/"
TRUNK_SKIP_VERSION_CHECK=true trunk --quiet build --release=true \
  browser-app/src/pow/bench/index.html --dist target/pow-bench --public-url /

serve_dist target/pow-bench 0 target/pow-bench-web.log
data=$(mktemp -d)
# Removed last: the EXIT trap of background.sh stops the node first.
trap 'bg_stop_all; rm -rf "$data"' EXIT
bg_start "tangle-node" target/pow-bench-node.log \
  target/release/tangle-node --listen 127.0.0.1:0 --data-dir "$data" --mwm 9
wait_for_node target/pow-bench-node.log
echo "[bench-pow] serving on http://127.0.0.1:$SERVED_PORT/; MWM $mwm, $trials trials each"
node scripts/bench-pow-browser.mjs --url "http://127.0.0.1:$SERVED_PORT/" \
  --native target/release/examples/native_pow --mwm "$mwm" --trials "$trials" \
  --node "$NODE_URL" --node-mwm 9 "${quick[@]}"
