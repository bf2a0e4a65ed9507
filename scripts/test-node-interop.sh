#!/usr/bin/env bash
# The legacy IOTA JavaScript clients against a real tangle-node: builds the
# node (release), starts it on a free loopback port with a fresh data
# directory and a low minimum weight magnitude, runs interop/node-clients/
# with Node's test runner, and stops the node on any exit.
#
#   TANGLE_NODE_MWM   minimum weight magnitude for the run (default 5)
#
# The node's log is kept in target/test-node-interop/node.log.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/background.sh
source scripts/lib/background.sh

MWM=${TANGLE_NODE_MWM:-5}
LOGS=target/test-node-interop

cargo build --quiet --release -p tangle-node -p mam-cli --bin tangle-node --bin mam
export MAM_BIN="$PWD/target/release/mam"

if [ ! -f interop/node_modules/.package-lock.json ] \
  || [ interop/package-lock.json -nt interop/node_modules/.package-lock.json ]; then
  (cd interop && npm ci --no-audit --no-fund --loglevel=error)
fi

data=$(mktemp -d)
mkdir -p "$LOGS"
rm -f "$LOGS/node.out"
# Removed last: the EXIT trap of background.sh stops the node first.
trap 'bg_stop_all; rm -rf "$data"' EXIT

bg_start "tangle-node" "$LOGS/node.out" \
  env RUST_LOG="${RUST_LOG:-info}" target/release/tangle-node \
  --listen 127.0.0.1:0 --data-dir "$data" --mwm "$MWM" --max-pow-mwm 14

wait_for_node "$LOGS/node.out"
url=$NODE_URL
echo "[test-node-interop] tangle-node at $url (mwm $MWM)"

status=0
TANGLE_NODE_URL="$url" TANGLE_NODE_MWM="$MWM" \
  node --test --test-timeout=300000 interop/node-clients/*.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  echo "[test-node-interop] failed; the node's log: $LOGS/node.out" >&2
fi
exit "$status"
