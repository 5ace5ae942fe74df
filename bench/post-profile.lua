-- wrk script: POST one profile (the file named by the PROFILE environment variable) to /v1/evaluate.
local f = assert(io.open(os.getenv("PROFILE") or "Playground/profiles/pes-002.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

-- no response() callback: it would make wrk parse every body and take CPU from the server;
-- summary.errors.status counts answers that are not 2xx/3xx.
function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d seconds=%.3f\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, summary.duration / 1e6))
  io.write(string.format("RESULT p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
