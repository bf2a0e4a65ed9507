#!/usr/bin/env bash
# Runs the whole system on this machine: installs what is missing, builds the
# web front ends, and serves them on 127.0.0.1. Ctrl-C stops everything.
#
#   WEB_PORT    port of the web server (default 8080; change it if 8080 is taken)
#   NODE_PORT   port of the tangle node's IRI API (default 14265)
#   NODE_MWM    minimum weight magnitude the node enforces (default 9)
#   DATA_DIR    where the node keeps its tangle (default target/run-system/data;
#               it survives restarts of this script)
#
# Each component runs as a background process through scripts/lib/background.sh,
# which stops all of them when this script exits; the tangle node and the Pi
# reader will be started the same way, next to the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

WEB_PORT=${WEB_PORT:-8080}
NODE_PORT=${NODE_PORT:-14265}
NODE_MWM=${NODE_MWM:-9}
LOGS=target/run-system
DATA_DIR=${DATA_DIR:-$LOGS/data}

bash scripts/install-deps.sh
echo "[run-system] building tangle-node (release)"
cargo build --quiet --release -p tangle-node
bash scripts/build-web.sh

mkdir -p "$DATA_DIR"
bg_start "tangle-node" "$LOGS/node.log" target/release/tangle-node \
  --listen "127.0.0.1:$NODE_PORT" --data-dir "$DATA_DIR" --mwm "$NODE_MWM"
wait_for_node "$LOGS/node.log"

serve_dist dist "$WEB_PORT" "$LOGS/web.log"
base="http://127.0.0.1:$SERVED_PORT"
cat <<TXT

The system is running (logs in $LOGS/):
  Landing page     $base/
  My Home          $base/my-home/
  Wattt Insights   $base/wattt/
  Tangle node      $NODE_URL  (IRI API; data in $DATA_DIR)
Press Ctrl-C to stop.
TXT

bg_wait_any
