#!/usr/bin/env bash
# Bounded load test of the re-check API on loopback (a benchmark, not a test): starts
# `puhui serve --api` on 127.0.0.1 with the committed signed exemplar, checks one 36-month quote,
# then runs wrk for a fixed time against POST /api/v1/quote and reports requests/s and p99.
# Usage: PUHUI=target/release-native/puhui bash benches/python/api-wrk.sh [seconds] [connections]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
puhui="${PUHUI:-$root/target/release-native/puhui}"
seconds="${1:-10}"
connections="${2:-16}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
"$puhui" publish --bundles "$work/bundles" "$root/tests/fixtures/bundle/bundle.signed.json" >/dev/null
# The benchmark client is one address: lift the per-client rate limit for this run only.
cat > "$work/serve.json" <<JSON
{"rateLimit": {"perSecond": 1000000000, "burst": 1000000000},
 "api": {"enabled": true, "root": "$root/tests/fixtures/bundle/root.json"}}
JSON
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$puhui" serve --dir "$work" --bundles "$work/bundles" --config "$work/serve.json" \
  --addr "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
body='{"productId":"consumer-loan","amount":"50000.00","termMonths":36,"band":"B","startDate":"2026-12-01"}'
url="http://127.0.0.1:$port/api/v1/quote?bundleId=puhui-sample&channel=production&version=1"
curl -fs -H 'Content-Type: application/json' --data "$body" "$url" | python3 -c \
  'import json,sys; q=json.load(sys.stdin); assert len(q["schedule"]["installments"])==36; print("one quote:", q["disclosure"]["cn"]["rate"], q["bundle"]["sha256"][:12])'
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
threads=$(( $(nproc) < connections ? $(nproc) : connections ))
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$url" | tee "$work/wrk.txt"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
mkdir -p "$root/bench-results"
printf '{"benchmark":"api-quote-36m","cores":%s,"connections":%s,"seconds":%s,"requestsPerSecond":%s,"p99":"%s"}\n' \
  "$(nproc)" "$connections" "$seconds" "$rps" "$p99" | tee "$root/bench-results/api-wrk.json"
