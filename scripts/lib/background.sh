# shellcheck shell=bash
# Background processes for the run and test scripts: start them, wait until
# the web server listens, and stop every one of them when the script exits.
#
# Usage (after `source scripts/lib/background.sh`):
#   bg_start NAME LOG COMMAND...   start COMMAND in the background, output to LOG
#   serve_dist DIR PORT LOG        serve DIR on 127.0.0.1:PORT (0 = any free
#                                  port); sets SERVED_PORT
#   bg_wait_any                    block until one of them exits (or a signal)
#   wait_for WHAT LOG SECONDS TEST...
#                                  wait until the command TEST succeeds while
#                                  the process started last runs
# Every process started here is stopped by the EXIT trap that this file sets.

BG_PIDS=()
BG_NAMES=()

bg_start() {
  local name=$1 log=$2
  shift 2
  mkdir -p "$(dirname "$log")"
  # Emptied here, not only by the background redirection: that runs in the
  # child, maybe after the caller has started reading LOG for a port, and a
  # previous run's port there is a wrong answer.
  : >"$log"
  "$@" >"$log" 2>&1 &
  BG_PIDS+=("$!")
  BG_NAMES+=("$name")
}

bg_stop_all() {
  local i pid
  for i in "${!BG_PIDS[@]}"; do
    pid=${BG_PIDS[$i]}
    if kill -0 "$pid" 2>/dev/null; then
      echo "stopping ${BG_NAMES[$i]} (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${BG_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  BG_PIDS=()
  BG_NAMES=()
}

# Returns when any background process ends; says which one and how.
bg_wait_any() {
  local status=0 i
  wait -n "${BG_PIDS[@]}" || status=$?
  for i in "${!BG_PIDS[@]}"; do
    if ! kill -0 "${BG_PIDS[$i]}" 2>/dev/null; then
      echo "${BG_NAMES[$i]} stopped (exit status $status)" >&2
    fi
  done
  return "$status"
}

serve_dist() {
  local dir=$1 port=$2 log=$3 waited=0
  bg_start "web server" "$log" python3 -u -m http.server --bind 127.0.0.1 --directory "$dir" "$port"
  # http.server prints the port it really bound, which matters for port 0.
  until SERVED_PORT=$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\).*/\1/p' "$log" 2>/dev/null) \
    && [ -n "$SERVED_PORT" ]; do
    if ! kill -0 "${BG_PIDS[-1]}" 2>/dev/null; then
      echo "the web server did not start on 127.0.0.1:$port:" >&2
      cat "$log" >&2
      return 1
    fi
    if [ "$waited" -ge 100 ]; then
      echo "the web server did not report its port within 10 s (log: $log)" >&2
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

trap bg_stop_all EXIT
# Turn Ctrl-C and kill into a normal exit, so the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_node LOG: waits (up to 30 s) until the tangle-node started last
# with bg_start prints "tangle-node listening on http://ADDRESS" in LOG;
# sets NODE_URL. Exits with the node's log when it dies or stays silent.
wait_for_node() {
  local log=$1 pid=${BG_PIDS[-1]}
  NODE_URL=""
  for _ in $(seq 1 300); do
    NODE_URL=$(sed -n 's/^tangle-node listening on \(http:\/\/[0-9.:]*\)$/\1/p' "$log")
    [ -n "$NODE_URL" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "tangle-node did not start; its log ($log) says:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "tangle-node did not report its address within 30 s; see $log" >&2
  exit 1
}

# wait_for WHAT LOG SECONDS TEST...: waits (up to SECONDS) until the command
# TEST succeeds, while the process started last with bg_start (WHAT, writing
# LOG) runs. Exits with that log when the process dies or time runs out.
wait_for() {
  local what=$1 log=$2 seconds=$3 pid=${BG_PIDS[-1]}
  shift 3
  for _ in $(seq 1 $((seconds * 10))); do
    if "$@"; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what did not start; its log ($log) says:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "$what did not get ready within $seconds s; see $log" >&2
  exit 1
}
