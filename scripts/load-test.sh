#!/usr/bin/env bash
# Load test of `puhui serve` on loopback only, bounded in time and connections (issue 13).
#
#   scripts/load-test.sh [puhui-binary] [seconds-per-run]
#
# Starts the real server on 127.0.0.1 with a rate limit raised for the test (the default,
# 50 requests/s refilled with a burst of 100 per client address, would answer most of a
# load test with 429), publishes a signed bundle, then runs wrk (2 threads, 16 connections,
# fixed duration) against: the front page, the wasm module, latest.json, and latest.json
# with a matching If-None-Match (304). Then one short run with the DEFAULT limiter to show
# its behaviour. Prints requests/s, p99 latency, errors (non-2xx/3xx and socket errors) and
# the server's peak RSS; writes target/load/report.json. Never targets anything but
# 127.0.0.1, and every run stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release-native/puhui}
SECONDS_PER_RUN=${2:-10}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 1; }
test -x "$BIN" || { echo "no puhui binary at $BIN (make native)" >&2; exit 1; }
test -s pkg/web/puhui_bg.wasm || { echo "pkg/web not built (make wasm)" >&2; exit 1; }

OUT=target/load
WORK=$(mktemp -d)
mkdir -p "$OUT" "$WORK/bundles"
PORT=$(( 20000 + RANDOM % 20000 ))
ADDR=127.0.0.1:$PORT
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

# A signed bundle to serve: the committed exemplar.
"$BIN" publish --bundles "$WORK/bundles" tests/fixtures/bundle/bundle.signed.json >/dev/null
LATEST=/bundles/puhui-sample/production/latest.json

serve() { # $1 = config file
  "$BIN" serve --dir . --bundles "$WORK/bundles" --addr "$ADDR" --config "$1" >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }

# wrk's Lua hook prints one JSON line: requests, duration, errors, non-2xx/3xx, p99.
cat >"$WORK/report.lua" <<'LUA'
local etag = os.getenv("ETAG")
if etag and etag ~= "" then wrk.headers["If-None-Match"] = etag end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.0f,"p99_ms":%.3f,"p50_ms":%.3f,"socket_errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, latency:percentile(50) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
LUA

run() { # $1 = name, $2 = path, $3 = etag (optional)
  local line
  line=$(ETAG="${3:-}" wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" --timeout 5s -s "$WORK/report.lua" "http://$ADDR$2" | tail -1)
  echo "{\"name\":\"$1\",\"path\":\"$2\",\"result\":$line}"
}

echo '{"rateLimit": {"perSecond": 1000000, "burst": 1000000}}' >"$WORK/load.json"
serve "$WORK/load.json"
ETAG=$(curl -fsSI "http://$ADDR$LATEST" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
{
  run front-page /
  run wasm /pkg/web/puhui_bg.wasm
  run latest-json "$LATEST"
  run latest-json-304 "$LATEST" "$ETAG"
} >"$WORK/runs.jsonl"
RSS=$(peak_rss_kb)
stop

# The default limiter: one client address, 16 connections: most answers are 429 by design.
echo '{}' >"$WORK/default.json"
serve "$WORK/default.json"
run default-limiter /healthz >"$WORK/default.jsonl"
stop

node -e '
const fs = require("fs");
const runs = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const limiter = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const report = { seconds_per_run: Number(process.argv[4]), connections: 16, threads: 2, peak_rss_kib: Number(process.argv[3]), runs, default_limiter: limiter };
fs.writeFileSync(process.argv[5], JSON.stringify(report, null, 2) + "\n");
for (const r of runs) console.log(`${r.name.padEnd(16)} ${String(r.result.rps).padStart(8)} req/s  p99 ${r.result.p99_ms.toFixed(2)} ms  errors ${r.result.socket_errors + r.result.status_errors}`);
console.log(`peak RSS ${(report.peak_rss_kib / 1024).toFixed(1)} MiB; default limiter: ${limiter.result.requests} requests, ${limiter.result.status_errors} answered 429`);
' "$WORK/runs.jsonl" "$WORK/default.jsonl" "$RSS" "$SECONDS_PER_RUN" "$OUT/report.json"
