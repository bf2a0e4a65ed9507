#!/usr/bin/env bash
# Runs the whole system on this machine: installs what is missing, builds the
# web front ends, and serves them on 127.0.0.1. Ctrl-C stops everything.
#
#   WEB_PORT   port of the web server (default 8080; change it if 8080 is taken)
#
# Each component runs as a background process through scripts/lib/background.sh,
# which stops all of them when this script exits; the tangle node and the Pi
# reader will be started the same way, next to the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

WEB_PORT=${WEB_PORT:-8080}
LOGS=target/run-system

bash scripts/install-deps.sh
bash scripts/build-web.sh

serve_dist dist "$WEB_PORT" "$LOGS/web.log"
base="http://127.0.0.1:$SERVED_PORT"
cat <<TXT

The system is running (logs in $LOGS/):
  Landing page     $base/
  My Home          $base/my-home/
  Wattt Insights   $base/wattt/
Press Ctrl-C to stop.
TXT

bg_wait_any
