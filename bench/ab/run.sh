#!/usr/bin/env bash
# One run of one bench row against the broker of broker.sh, with an output topic of its own.
# usage: run.sh BINARY limit | topology NAME [ARGS...] | nexmark QUERY
# (BINARY: a sluice-bench; `limit` runs .build/bench/rdkafka_pipe and ignores it.)
# Prints: CPU seconds per million records, peak RSS, records.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .build/ab/broker.env
binary=$1 kind=$2
shift 2
out=ab-out-$RANDOM$RANDOM
curl -sf -X POST "$CONTROL/topics" -d "{\"name\":\"$out\",\"partitions\":64}" >/dev/null
records=${BENCH_RECORDS:-1000000}
case $kind in
  limit) report=$(.build/bench/rdkafka_pipe "$BOOTSTRAP" "g-$out" bench-input "$out" "$records") ;;
  topology) name=$1; shift; report=$("$binary" topology "$name" "$BOOTSTRAP" "g-$out" bench-input "$out" "$records" --state-root .build/ab/state "$@" 2>/dev/null) ;;
  nexmark) report=$("$binary" nexmark "$1" "$BOOTSTRAP" "g-$out" nexmark "$out" "$NEXMARK_EVENTS" 2>/dev/null) ;;
  *) echo "usage: run.sh BINARY limit | topology NAME [ARGS...] | nexmark QUERY" >&2; exit 2 ;;
esac
echo "$report" | tail -1 | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("%.3f CPU s/M  %.1f MB  %d records" % (r["cpu_seconds"] / r["records"] * 1e6, r["peak_rss_mb"], r["records"]))'
