#!/usr/bin/env bash
# Browser smoke test: builds dist/ (scripts/build-web.sh), serves it on a free
# loopback port, and runs tests/browser/ in headless Chromium with Node's test
# runner. The server is stopped on any exit. Screenshots go to target/screenshots/.
#
# Runs scripts/install-deps.sh first, so it also works on a new machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

bash scripts/install-deps.sh
bash scripts/build-web.sh

serve_dist dist 0 target/test-browser/web.log
echo "[test-browser] serving dist/ on http://127.0.0.1:$SERVED_PORT/"

WEB_BASE_URL="http://127.0.0.1:$SERVED_PORT/" \
  SCREENSHOT_DIR="$PWD/target/screenshots" \
  node --test --test-reporter=tap tests/browser/smoke.test.mjs
