#!/usr/bin/env bash
# One run of one bench row against the broker of broker.sh, with an output topic of its own;
# `nexmark-in-process` needs no broker (the `_no_kafka` rows: 500,000 events, 8 tasks).
# usage: run.sh BINARY limit | json-limit | join-limit | topology NAME [ARGS...] | nexmark QUERY | nexmark-in-process QUERY
# (BINARY: a sluice-bench; `limit` runs .build/bench/rdkafka_pipe, `json-limit` and `join-limit`
# the JSON rows' jobs in C++, .build/bench/json_filter_map and stream_table_join; they ignore it.)
# Prints: CPU seconds per million records (those after any warm-up), peak RSS, records.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage="usage: run.sh BINARY limit | json-limit | join-limit | topology NAME [ARGS...] | nexmark QUERY | nexmark-in-process QUERY"
binary=$1 kind=$2
shift 2
out=ab-out-$RANDOM$RANDOM
if [[ $kind == nexmark-in-process ]]; then
  report=$("$binary" nexmark-in-process "$1" - "g-$out" - - "${NEXMARK_EVENTS:-500000}" --partitions 8 --state-root .build/ab/state 2>/dev/null)
else
  source .build/ab/broker.env
  curl -sf -X POST "$CONTROL/topics" -d "{\"name\":\"$out\",\"partitions\":64}" >/dev/null
  records=${BENCH_RECORDS:-1000000}
  case $kind in
    limit) report=$(.build/bench/rdkafka_pipe "$BOOTSTRAP" "g-$out" bench-input "$out" "$records") ;;
    json-limit) report=$(.build/bench/json_filter_map "$BOOTSTRAP" "g-$out" bench-input "$out" "$records") ;;
    join-limit) report=$(.build/bench/stream_table_join "$BOOTSTRAP" "g-$out" bench-input "$out" "$records" bench-users) ;;
    topology) name=$1; shift; report=$("$binary" topology "$name" "$BOOTSTRAP" "g-$out" bench-input "$out" "$records" --state-root .build/ab/state "$@" 2>/dev/null) ;;
    nexmark) report=$("$binary" nexmark "$1" "$BOOTSTRAP" "g-$out" nexmark "$out" "$NEXMARK_EVENTS" 2>/dev/null) ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
fi
echo "$report" | tail -1 | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
counted = r["records"] - (r.get("warm_up_records") or 0)
print("%.3f CPU s/M  %.1f MB  %d records" % (r["cpu_seconds"] / counted * 1e6, r["peak_rss_mb"], r["records"]))'
