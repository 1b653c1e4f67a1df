/// The names of every metric a worker exports, in Prometheus' conventions: `sluice_` prefix,
/// base units (seconds), `_total` on counters. Labels: `application` on all; `subtopology` and
/// `operator` on per-operator metrics; `topic` and `partition` on per-partition ones.
/// `deploy/grafana/sluice.json` queries these names.
public enum MetricNames {
    /// Counter: records an operator received.
    public static let received = "sluice_operator_records_received_total"
    /// Counter: records an operator passed on (for `flatMap`: records it expanded).
    public static let forwarded = "sluice_operator_records_forwarded_total"
    /// Counter: records an operator dropped on purpose (`filter`, a branch nobody takes).
    public static let filtered = "sluice_operator_records_filtered_total"
    /// Counter: records an operator sent to the dead-letter topic.
    public static let deadLettered = "sluice_operator_records_dead_lettered_total"
    /// Gauge: seconds between now and the stream time of the operator's most lagging task.
    public static let eventTimeLag = "sluice_operator_event_time_lag_seconds"
    /// Histogram: time a micro-batch spent in one sub-topology's operators.
    public static let processTime = "sluice_subtopology_process_seconds"
    /// Gauge: end offset minus the committed offset, per source partition the worker owns.
    public static let consumerLag = "sluice_consumer_lag_records"
    /// Gauge: the next offset the worker committed, per source partition it owns.
    public static let committedOffset = "sluice_consumer_committed_offset"
    /// Gauge: the partition's end offset (high watermark), per source partition the worker owns.
    public static let endOffset = "sluice_partition_end_offset"
    /// Histogram: duration of the commit step (flush outputs, commit offsets).
    public static let commitTime = "sluice_commit_seconds"
    /// Counter: commit steps completed.
    public static let commits = "sluice_commits_total"
    /// Counter: rewinds to the committed offsets after outputs were not delivered.
    public static let rewinds = "sluice_rewinds_total"
    /// Counter: transactions committed (exactly-once: one per commit step with work).
    public static let transactions = "sluice_transactions_total"
    /// Counter: transactions aborted (exactly-once), each followed by a rewind.
    public static let transactionAborts = "sluice_transaction_aborts_total"
    /// Counter: partition assignments (rebalances) the stream threads took part in.
    public static let rebalances = "sluice_rebalances_total"
    /// Counter: errors the consumers reported.
    public static let consumerErrors = "sluice_consumer_errors_total"
    /// Counter: errors the producers reported, and commit steps whose outputs were not delivered.
    public static let producerErrors = "sluice_producer_errors_total"
    /// Counter: input records evicted by the broker before they were read.
    public static let lostRecords = "sluice_input_records_lost_total"
    /// Gauge: tasks the worker runs.
    public static let tasks = "sluice_worker_tasks"
    /// Gauge: changelog records restored per store and task (filled by the state-store runtime).
    public static let restored = "sluice_store_restored_records"

    /// Every name above (histograms without their `_bucket`, `_sum`, `_count` suffixes).
    public static let all: Set<String> = [
        received, forwarded, filtered, deadLettered, eventTimeLag, processTime, consumerLag, committedOffset, endOffset,
        commitTime, commits, rewinds, transactions, transactionAborts, rebalances, consumerErrors, producerErrors, lostRecords, tasks, restored,
    ]
}
