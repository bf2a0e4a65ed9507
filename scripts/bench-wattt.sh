#!/usr/bin/env bash
# Wattt Insights' reading benchmark: a local tangle-node (MWM 1) seeded with a
# day of a 1 Hz meter (pi-reader's seed_day example: 8,640 DATA messages of 10
# telegrams, made natively with the device's own code), then, in headless
# Chromium, the time from Wattt's start (keys at its address) to the day read
# and charted, and the same for a reload from the cache; and the native
# follower (wattt-wasm's follow_day example) on the same channel as the peer.
#
#   bash scripts/bench-wattt.sh            # the full day (seeding takes ~2 min)
#   bash scripts/bench-wattt.sh --quick    # 300 messages (what CI runs)
#   bash scripts/bench-wattt.sh --messages N
#   bash scripts/bench-wattt.sh --quick --profile   # and where the page spends its time
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/background.sh

messages=8640
skip_build=false
profile=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) messages=300 ;;
    --messages) messages=$2; shift ;;
    --skip-build) skip_build=true ;;
    --profile) profile=(--profile) ;;
    *) echo "usage: $0 [--quick] [--messages N] [--skip-build] [--profile]" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/install-deps.sh >/dev/null
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
echo "[bench-wattt] building tangle-node, seed_day and follow_day (release)"
cargo build --quiet --release -p tangle-node --bin tangle-node
cargo build --quiet --release -p pi-reader --example seed_day
cargo build --quiet --release -p wattt-wasm --example follow_day
if [ "$skip_build" = false ] || [ ! -f dist/wattt/index.html ]; then
  bash scripts/build-web.sh
fi

mkdir -p target/bench-wattt target/screenshots
data=$(mktemp -d)
trap 'bg_stop_all; rm -rf "$data"' EXIT
bg_start "tangle-node" target/bench-wattt/node.log \
  target/release/tangle-node --listen 127.0.0.1:0 --data-dir "$data" --mwm 1
wait_for_node target/bench-wattt/node.log
serve_dist dist 0 target/bench-wattt/web.log

echo "[bench-wattt] seeding $NODE_URL with $messages messages of 10 telegrams"
seeded=$(target/release/examples/seed_day --node "$NODE_URL" --mwm 1 \
  --messages "$messages" --telegrams 10 --threads 1 2>target/bench-wattt/seed.log)
echo "[bench-wattt] seeded: $seeded"
node scripts/bench-wattt.mjs --url "http://127.0.0.1:$SERVED_PORT/wattt/" --node "$NODE_URL" \
  --seeded "$seeded" --native target/release/examples/follow_day "${profile[@]}"
