# Sourced by scripts/test-serve-api.sh and bench/bench-serve.sh: starts `kryteria serve` on a
# free loopback port and waits until it listens. In: BIN, JOBS, SERVE_LOG (stderr: the access
# log). Out: $pid, $port; the server is stopped when the calling script exits.
serve_out=$(mktemp)
"$BIN" serve --port 0 --jobs "$JOBS" >"$serve_out" 2>"$SERVE_LOG" &
pid=$!
serve_cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$serve_out"; }
trap serve_cleanup EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$serve_out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:"; cat "$SERVE_LOG"; exit 1; }
