#!/usr/bin/env bash
# Runs one bench row with several binaries in turns, N turns, and prints each binary's median CPU
# per million records: on a shared machine a change is judged against the old binary run
# alongside it, never against a number from another hour (README, Benchmarks).
# usage: turns.sh N BINARY... -- ROW...   e.g. turns.sh 5 old/sluice-bench new/sluice-bench -- topology passthrough
set -euo pipefail
here=$(dirname "$0")
turns=$1; shift
binaries=()
while [[ $1 != -- ]]; do binaries+=("$1"); shift; done
shift
declare -A runs
for turn in $(seq "$turns"); do
  for binary in "${binaries[@]}"; do
    line=$("$here/run.sh" "$binary" "$@")
    echo "turn $turn  $binary  $line"
    runs[$binary]+="$(echo "$line" | cut -d' ' -f1) "
  done
done
for binary in "${binaries[@]}"; do
  echo "${runs[$binary]}" | python3 -c '
import statistics, sys
values = sorted(float(v) for v in sys.stdin.read().split())
print("median %.3f CPU s/M (%.3f-%.3f) over %d runs: %s" % (statistics.median(values), values[0], values[-1], len(values), sys.argv[1]))' "$binary"
done
