#!/usr/bin/env bash
# Starts a `sluice broker` for A/B runs of single bench rows (run.sh, turns.sh) and writes the
# bench input to it (building what the runs need first); with NEXMARK_EVENTS=N also N Nexmark
# events. Each run leaves its output topic in the broker's memory (about 300 MB for a million
# records): start it again every few dozen runs, or the machine's memory, not the change, decides
# the numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=.build/ab
mkdir -p "$state"
make -s deps  # librdkafka's and RocksDB's headers: a fresh machine has none until then
flags=$(make -s release-flags)  # as `make bench` builds: other flags would rebuild everything
for product in sluice sluice-bench; do
  swift build $flags --product $product >/dev/null 2>"$state/build.err" || { cat "$state/build.err" >&2; exit 1; }
done
make -s .build/bench/rdkafka_pipe .build/bench/json_filter_map .build/bench/stream_table_join
if [[ -f $state/broker.pid ]]; then kill "$(cat "$state/broker.pid")" 2>/dev/null || true; sleep 1; fi
.build/release/sluice broker --brokers 1 >"$state/broker.out" 2>"$state/broker.err" &
echo $! >"$state/broker.pid"
for _ in $(seq 100); do
  [[ $(wc -l <"$state/broker.out") -ge 2 ]] && break
  sleep 0.1
done
bootstrap=$(sed -n 1p "$state/broker.out")
control=$(sed -n 2p "$state/broker.out" | cut -d= -f2)
[[ -n $bootstrap && -n $control ]] || { echo "the broker did not start: $(cat "$state/broker.err")" >&2; exit 1; }
printf 'BOOTSTRAP=%s\nCONTROL=%s\nNEXMARK_EVENTS=%s\n' "$bootstrap" "$control" "${NEXMARK_EVENTS:-0}" >"$state/broker.env"
.build/release/sluice-bench prepare "$bootstrap" --records "${BENCH_RECORDS:-1000000}" >/dev/null
if [[ ${NEXMARK_EVENTS:-0} -gt 0 ]]; then
  curl -sf -X POST "$control/topics" -d '{"name":"nexmark","partitions":64}' >/dev/null
  .build/release/sluice nexmark generate --brokers "$bootstrap" --events "$NEXMARK_EVENTS" >/dev/null
fi
echo "broker $bootstrap (control $control); input written"
