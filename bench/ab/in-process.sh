#!/usr/bin/env bash
# Runs a bench topology without Kafka (`sluice-bench topology-in-process`) with several binaries
# in turns, N turns, and prints each binary's quartiles of CPU seconds: needs no broker, and
# leaves out Kafka's share, which moves with the machine's load by more than most changes.
# Compare the quartiles of forty or so turns: single runs spread by a third here.
# usage: in-process.sh N ROW RECORDS BINARY...   e.g. in-process.sh 40 json-filter-map 500000 old/sluice-bench .build/release/sluice-bench
set -euo pipefail
turns=$1 row=$2 records=$3
shift 3
for turn in $(seq "$turns"); do
  for binary in "$@"; do
    seconds=$("$binary" topology-in-process "$row" "$records" | python3 -c 'import json, sys; print(json.load(sys.stdin)["cpu_seconds"])')
    echo "$binary $seconds"
  done
done | python3 -c '
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in sys.stdin:
    binary, seconds = line.split()
    runs[binary].append(float(seconds))
for binary, values in runs.items():
    values.sort()
    q = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    print("min %.3f  q1 %.3f  median %.3f  q3 %.3f CPU s over %d runs: %s" % (values[0], q[0], q[1], q[2], len(values), binary))'
