#!/usr/bin/env bash
# The node client as the browser runs it: iri-client's tests/browser_node.rs,
# compiled to wasm32 and run by wasm-bindgen-test-runner in headless Chromium
# (through chromedriver) against a real tangle-node: node info and the wasm
# clock, messages with proof of work in wasm and on the node, a MAM channel,
# and a node that refuses connections or never answers.
#
# Starts, on free loopback ports: the node (release build, fresh data
# directory, MWM below), and a stand-in for a node that is down (one port
# bound but not listening, one listening but never answering). Their URLs
# reach the test at compile time (IRI_CLIENT_TEST_*), so the test crate is
# recompiled on each run; its dependencies are not.
#
#   TANGLE_NODE_MWM   minimum weight magnitude for the run (default 9)
#
# Logs in target/test-wasm-client/. Runs scripts/install-deps.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/background.sh
source scripts/lib/background.sh

MWM=${TANGLE_NODE_MWM:-9}
LOGS=target/test-wasm-client

bash scripts/install-deps.sh
cargo build --quiet --release -p tangle-node --bin tangle-node

data=$(mktemp -d)
mkdir -p "$LOGS"
# Removed last: the EXIT trap of background.sh stops the node first.
trap 'bg_stop_all; rm -rf "$data"' EXIT

bg_start "tangle-node" "$LOGS/node.log" \
  env RUST_LOG="${RUST_LOG:-info}" target/release/tangle-node \
  --listen 127.0.0.1:0 --data-dir "$data" --mwm "$MWM"
wait_for_node "$LOGS/node.log"

# A node that is down, two ways. Holding the refusing port bound keeps
# anything else from taking it during the test.
bg_start "dead node" "$LOGS/dead-node.log" python3 -u -c '
import socket, time
refusing = socket.socket()
refusing.bind(("127.0.0.1", 0))
silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(16)
print("refusing", refusing.getsockname()[1])
print("silent", silent.getsockname()[1])
time.sleep(24 * 3600)
'
port_of() { sed -n "s/^$1 \([0-9][0-9]*\)$/\1/p" "$LOGS/dead-node.log"; }
dead_node_ready() { [ -n "$(port_of silent)" ]; }
wait_for "dead node" "$LOGS/dead-node.log" 10 dead_node_ready

echo "[test-wasm-client] tangle-node at $NODE_URL (mwm $MWM)"

# wasm-bindgen-test-runner adds headless, no-sandbox and
# disable-dev-shm-usage to these Chromium flags.
cat >"$LOGS/webdriver.json" <<'JSON'
{
  "goog:chromeOptions": {
    "args": ["--disable-gpu", "--disable-background-networking"]
  }
}
JSON

status=0
IRI_CLIENT_TEST_NODE_URL="$NODE_URL" \
  IRI_CLIENT_TEST_MWM="$MWM" \
  IRI_CLIENT_TEST_REFUSING_URL="http://127.0.0.1:$(port_of refusing)" \
  IRI_CLIENT_TEST_SILENT_URL="http://127.0.0.1:$(port_of silent)" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/$LOGS/webdriver.json" \
  WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180} \
  cargo test --target wasm32-unknown-unknown -p iri-client --test browser_node \
  || status=$?
if [ "$status" -ne 0 ]; then
  if ! kill -0 "${BG_PIDS[0]}" 2>/dev/null; then
    echo "[test-wasm-client] tangle-node exited during the test" >&2
  fi
  echo "[test-wasm-client] failed; the end of the node's log ($LOGS/node.log):" >&2
  tail -n 20 "$LOGS/node.log" >&2
fi
exit "$status"
