#!/usr/bin/env bash
# make bench-serve: `kryteria serve` (release build) under wrk on loopback, 64 connections,
# POST /v1/evaluate with a Playground enterprise; requests/s, p50/p99 latency, peak RSS, and
# every request checked (no socket error, no status but 200). Then `kryteria batch` on the
# same profile repeated, for the records/s beside it.
# Usage: bench/bench-serve.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
CONNS=${2:-64}
BIN=${BIN:-.build/release/kryteria}
PROFILE=${PROFILE:-Playground/profiles/pes-002.json}
JOBS=${JOBS:-$(nproc)}
mkdir -p bench/out
log=bench/out/serve-access.log
SERVE_LOG=$log
. scripts/serve-start.sh
url="http://127.0.0.1:$port/v1/evaluate"
# the answer is the evaluation, not an error
curl -sf --data-binary @"$PROFILE" "$url" | grep -q '"results":\[' || { echo "no evaluation from $url"; exit 1; }

echo "== warm-up (3 s)"
PROFILE=$PROFILE wrk -t2 -c"$CONNS" -d3s -s bench/post-profile.lua "$url" >/dev/null
echo "== wrk -t2 -c$CONNS -d${SECS}s POST /v1/evaluate ($PROFILE), server --jobs $JOBS on $(nproc) cores"
PROFILE=$PROFILE wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/post-profile.lua "$url" | tee bench/out/wrk.txt
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
ok=$(curl -s "http://127.0.0.1:$port/metrics" | awk -F' ' '/^kryteria_http_requests_total\{route="\/v1\/evaluate",method="POST",status="200"\}/ {print $2}')
other=$(curl -s "http://127.0.0.1:$port/metrics" | grep '^kryteria_http_requests_total{route="/v1/evaluate"' | grep -vc 'status="200"' || true)
eval "$(grep '^RESULT' bench/out/wrk.txt | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/W_/')"
errors=$((W_errors_connect + W_errors_read + W_errors_write + W_errors_status + W_errors_timeout))
rps=$(python3 -c "print(round($W_requests / $W_seconds))")

# kryteria batch on the same profile, repeated
n=$((W_requests < 200000 ? 200000 : W_requests))
python3 -c "
import json,sys
p=json.load(open('$PROFILE'))
with open('bench/out/serve-same.jsonl','w') as f:
    for i in range($n):
        p['id']='r%d'%i; f.write(json.dumps(p,ensure_ascii=False)+'\n')"
/usr/bin/time -f "%M %e" -o bench/out/serve-same.time \
  "$BIN" batch -q --jobs "$JOBS" bench/out/serve-same.jsonl -o bench/out/serve-same.results.jsonl || true
read -r batch_rss batch_secs < bench/out/serve-same.time
batch_rps=$(python3 -c "print(round($n / $batch_secs))")
lines=$(wc -l < bench/out/serve-same.results.jsonl)

echo
echo "== kryteria serve: $rps requests/s, p50 ${W_p50_ms} ms, p99 ${W_p99_ms} ms (max ${W_max_ms} ms), peak RSS $((rss / 1024)) MiB"
echo "   $W_requests requests in ${W_seconds} s at $CONNS connections; wrk errors: $errors; server counted $ok answers 200 on /v1/evaluate and $other other statuses"
echo "== kryteria batch, the same profile $n times, --jobs $JOBS: $batch_rps records/s, peak RSS $((batch_rss / 1024)) MiB ($lines result lines)"
[ "$errors" = 0 ] && [ "$other" = 0 ] || { echo "FAILED: some requests failed"; exit 1; }
