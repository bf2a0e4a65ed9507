#!/usr/bin/env bash
# Browser tests: builds dist/ (scripts/build-web.sh) and the release binaries
# the system harness runs (tangle-node, pi-reader, provider-probe), serves
# dist/ on a free loopback port, and runs tests/browser/ in headless Chromium
# with Node's test runner:
#   smoke.test.mjs     the landing page and both apps
#   qr-video.test.mjs  the fake QR camera reaches getUserMedia and decodes
#   system.test.mjs    the system harness: node, P1 cable, Pi reader, meter, probe
# The server is stopped on any exit. Screenshots go to target/screenshots/,
# the harness's logs and state to target/test-browser/.
#
# Runs scripts/install-deps.sh first, so it also works on a new machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

bash scripts/install-deps.sh
if ! command -v socat >/dev/null 2>&1; then
  echo "[test-browser] socat is missing: the system tests connect the simulated meter" >&2
  echo "               to the Pi reader through it. Install it (apt-get install socat)." >&2
  exit 1
fi
echo "[test-browser] building tangle-node, pi-reader and provider-probe (release)"
cargo build --quiet --release -p tangle-node -p pi-reader -p test-support --bins
bash scripts/build-web.sh

serve_dist dist 0 target/test-browser/web.log
echo "[test-browser] serving dist/ on http://127.0.0.1:$SERVED_PORT/"

WEB_BASE_URL="http://127.0.0.1:$SERVED_PORT/" \
  SCREENSHOT_DIR="$PWD/target/screenshots" \
  RELEASE_DIR="$PWD/target/release" \
  SCRATCH_DIR="$PWD/target/test-browser" \
  node --test --test-concurrency=1 --test-reporter=tap \
  tests/browser/smoke.test.mjs \
  tests/browser/qr-video.test.mjs \
  tests/browser/system.test.mjs \
  tests/browser/my-home.test.mjs \
  tests/browser/wattt.test.mjs
