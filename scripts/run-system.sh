#!/usr/bin/env bash
# Runs the whole system on this machine: installs what is missing, builds the
# tangle node, the Pi reader and the web front ends, starts the node, a Pi
# reader fed by a simulated meter, and serves the apps on 127.0.0.1. Prints
# the URLs and the device's pairing link (My Home's pairing form filled in
# with its address and secret, also as QR code). Ctrl-C stops everything.
#
#   WEB_PORT          port of the web server (default 8080; change it if 8080 is
#                     taken, 0 = any free port); the pairing link names it
#   NODE_PORT         port of the tangle node's IRI API (default 14265)
#   NODE_MWM          minimum weight magnitude the node enforces, and the one the
#                     Pi reader's proof of work meets (default 9)
#   DATA_DIR          where the node keeps its tangle (default target/run-system/data;
#                     it survives restarts of this script)
#   REPLAY_TELEGRAMS  recorded telegram files (paths or a glob, e.g.
#                     'testdata/telegrams/*.txt') to replay in a loop instead
#                     of simulating a DSMR 5 meter
#
# The meter and the Pi reader talk over a socat pseudo-terminal pair, as over
# a P1 cable: the meter writes target/run-system/p1/meter, the reader reads
# target/run-system/p1/port. The reader's state (identity, channel, outbox)
# is target/run-system/pi-reader/state.sqlite and survives restarts too.
#
# Each component runs as a background process through scripts/lib/background.sh,
# which stops all of them when this script exits.
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/background.sh
source scripts/lib/background.sh

WEB_PORT=${WEB_PORT:-8080}
NODE_PORT=${NODE_PORT:-14265}
NODE_MWM=${NODE_MWM:-9}
LOGS=target/run-system
DATA_DIR=${DATA_DIR:-$LOGS/data}
P1_DIR=$LOGS/p1
PI_STATE=$LOGS/pi-reader/state.sqlite
PI_READER=target/release/pi-reader

# The replayed files, resolved from where the script was called.
replay_files=()
if [ -n "${REPLAY_TELEGRAMS:-}" ]; then
  resolved=$(
    cd "$CALLER_DIR"
    # Word splitting and globbing of REPLAY_TELEGRAMS are intended here.
    # shellcheck disable=SC2086
    for file in $REPLAY_TELEGRAMS; do
      if [ ! -f "$file" ]; then
        echo "[run-system] REPLAY_TELEGRAMS: no file $file (relative to $CALLER_DIR)" >&2
        exit 1
      fi
      realpath "$file"
    done
  )
  if [ -z "$resolved" ]; then
    echo "[run-system] REPLAY_TELEGRAMS='$REPLAY_TELEGRAMS' names no file" >&2
    exit 1
  fi
  mapfile -t replay_files <<<"$resolved"
fi

bash scripts/install-deps.sh
if ! command -v socat >/dev/null 2>&1; then
  echo "[run-system] socat is missing: the simulated meter reaches the Pi reader over a" >&2
  echo "             socat pseudo-terminal pair. Install it (apt-get install socat)." >&2
  exit 1
fi
echo "[run-system] building tangle-node and pi-reader (release)"
cargo build --quiet --release -p tangle-node -p pi-reader
bash scripts/build-web.sh

mkdir -p "$DATA_DIR"
bg_start "tangle-node" "$LOGS/node.log" target/release/tangle-node \
  --listen "127.0.0.1:$NODE_PORT" --data-dir "$DATA_DIR" --mwm "$NODE_MWM"
wait_for_node "$LOGS/node.log"
# The apps' defaults (browser-app/src/settings): this node, its weight, and
# proof of work in the browser. An owner's own settings still win.
printf '{"nodeUrl": "%s", "minWeightMagnitude": %s, "pow": "local"}\n' "$NODE_URL" "$NODE_MWM" \
  >dist/node.json

# The meter's end and the reader's end of a virtual P1 cable.
mkdir -p "$P1_DIR"
rm -f "$P1_DIR/meter" "$P1_DIR/port"
bg_start "socat (P1 cable)" "$LOGS/socat.log" socat \
  "pty,raw,echo=0,link=$P1_DIR/meter" "pty,raw,echo=0,link=$P1_DIR/port"
wait_for "socat's pseudo-terminals" "$LOGS/socat.log" 10 \
  test -e "$P1_DIR/meter" -a -e "$P1_DIR/port"

# The web apps first: the pairing link must carry the port really served
# (WEB_PORT=0 picks a free one).
serve_dist dist "$WEB_PORT" "$LOGS/web.log"
base="http://127.0.0.1:$SERVED_PORT"
export PI_READER_MY_HOME_URL="$base/my-home/"

# The identity is made here, before the daemon runs, so that the two never
# race to create it. The pairing link opens My Home's pairing form filled in.
identity=$("$PI_READER" --state "$PI_STATE" info --json)
device_address=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["address"])' <<<"$identity")
pairing_secret=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["pairing_secret"])' <<<"$identity")
pairing_link=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["pairing_link"])' <<<"$identity")
# The QR code of the pairing link: the lines of `info` drawn only in blocks.
qr_code=$("$PI_READER" --state "$PI_STATE" info | grep -E '^[█▀▄ ]+$' || true)

bg_start "pi-reader" "$LOGS/pi-reader.log" "$PI_READER" --state "$PI_STATE" run \
  --node "$NODE_URL" --serial-port "$P1_DIR/port" --mwm "$NODE_MWM"
wait_for "pi-reader" "$LOGS/pi-reader.log" 30 grep -q 'pi-reader running' "$LOGS/pi-reader.log"

if [ ${#replay_files[@]} -gt 0 ]; then
  meter="replaying ${#replay_files[@]} recorded telegram files in a loop"
  bg_start "meter (replay)" "$LOGS/meter.log" "$PI_READER" replay --loop \
    --output "$P1_DIR/meter" "${replay_files[@]}"
else
  meter="a simulated DSMR 5 meter, one telegram a second"
  bg_start "meter (simulate)" "$LOGS/meter.log" "$PI_READER" simulate \
    --output "$P1_DIR/meter"
fi

cat <<TXT

The system is running (logs in $LOGS/: node.log, pi-reader.log, meter.log, socat.log, web.log):
  Landing page     $base/
  My Home          $base/my-home/
  Wattt Insights   $base/wattt/
  Tangle node      $NODE_URL  (IRI API, MWM $NODE_MWM; data in $DATA_DIR;
                   the apps use it by default: dist/node.json)
  Pi reader        reads $P1_DIR/port, fed by $meter
                   state in $PI_STATE

To pair the Pi reader, open this link, or in My Home > Pair a device paste it
or scan the QR code (or enter the device address and pairing secret):
  pairing link     $pairing_link
  device address   $device_address
  pairing secret   $pairing_secret

$qr_code

Then the path through the two apps:
  1. My Home ($base/my-home/): open the pairing link above; "Pair".
     My Home's seed stays in this browser: back it up under "Backup".
  2. Wattt Insights ($base/wattt/): "Ask for consent", keep or edit the
     goal and period, "Continue to My Home".
  3. My Home shows the request: "Give consent". It sends you back to Wattt,
     which says consent was given; the Pi reader sends Wattt the keys of its
     channel within seconds.
  4. Wattt > Homes > "Energy": the readings, live, with the power, hourly,
     daily and gas charts, the current values and a CSV download.
  5. My Home > Overview > "Revoke": the Pi reader rotates its key without
     Wattt, and Wattt shows the consent ended, with the time.

The reader publishes a message every 10 s or 10 telegrams ("message on the
Tangle" in $LOGS/pi-reader.log). Its counters, pairing and providers:
  $PI_READER --state $PI_STATE info
Press Ctrl-C to stop.
TXT

bg_wait_any
