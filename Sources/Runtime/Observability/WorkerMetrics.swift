import CoreMetrics
import SluiceOperators
import SluiceTopology
import Synchronization

/// A worker's swift-metrics instruments (names in `MetricNames`), made once per worker with the
/// factory it was given.
///
/// Counters follow the threads' cumulative snapshots: `update` adds what grew since the last
/// call, so a scrape and the monitor may both call it. Only the per-batch timers are touched by
/// stream threads, once per micro-batch and commit step, never per record (DESIGN.md §3).
final class WorkerMetrics: Sendable {
    let factory: any MetricsFactory
    let application: String
    private let operators: [String: OperatorInstruments]
    private let commitTime: CoreMetrics.Timer
    private let commits: Counter
    private let rewinds: Counter
    private let transactions: Counter
    private let transactionAborts: Counter
    private let rebalances: Counter
    private let consumerErrors: Counter
    private let producerErrors: Counter
    private let lostRecords: Counter
    private let tasks: Gauge
    private let reported = Mutex(Reported())
    private let partitionGauges = Mutex<[TopicPartition: PartitionGauges]>([:])
    private let restoreGauges = Mutex<[RestoreProgress.Key: Gauge]>([:])

    init(plan: TopologyPlan, factory: any MetricsFactory) {
        self.factory = factory
        application = plan.applicationID
        let app = ("application", plan.applicationID)
        var operators: [String: OperatorInstruments] = [:]
        for node in plan.subtopologies.flatMap(\.nodes) {
            operators[node.name] = OperatorInstruments(
                dimensions: [app, ("subtopology", "\(node.subtopology)"), ("operator", node.name)], factory: factory)
        }
        self.operators = operators
        commitTime = CoreMetrics.Timer(label: MetricNames.commitTime, dimensions: [app], factory: factory)
        commits = Counter(label: MetricNames.commits, dimensions: [app], factory: factory)
        rewinds = Counter(label: MetricNames.rewinds, dimensions: [app], factory: factory)
        transactions = Counter(label: MetricNames.transactions, dimensions: [app], factory: factory)
        transactionAborts = Counter(label: MetricNames.transactionAborts, dimensions: [app], factory: factory)
        rebalances = Counter(label: MetricNames.rebalances, dimensions: [app], factory: factory)
        consumerErrors = Counter(label: MetricNames.consumerErrors, dimensions: [app], factory: factory)
        producerErrors = Counter(label: MetricNames.producerErrors, dimensions: [app], factory: factory)
        lostRecords = Counter(label: MetricNames.lostRecords, dimensions: [app], factory: factory)
        tasks = Gauge(label: MetricNames.tasks, dimensions: [app], factory: factory)
    }

    /// The processing-time histogram of one sub-topology (one per stream thread and sub-topology).
    func processTimer(subtopology: Int) -> CoreMetrics.Timer {
        CoreMetrics.Timer(
            label: MetricNames.processTime, dimensions: [("application", application), ("subtopology", "\(subtopology)")],
            factory: factory)
    }

    func recordCommit(nanoseconds: Int64) { commitTime.recordNanoseconds(nanoseconds) }

    /// Brings counters and gauges up to `snapshot`; `eventTimeLags` are seconds per operator.
    func update(_ snapshot: WorkerSnapshot, eventTimeLags: [String: Double]) {
        reported.withLock { last in
            for (name, c) in snapshot.counts {
                guard let op = operators[name] else { continue }
                let before = last.operators[name] ?? (0, 0, 0, 0)
                op.received.increment(by: max(c.received - before.received, 0))
                op.forwarded.increment(by: max(c.forwarded - before.forwarded, 0))
                op.filtered.increment(by: max(c.filtered - before.filtered, 0))
                op.deadLettered.increment(by: max(c.deadLettered - before.deadLettered, 0))
                last.operators[name] = (c.received, c.forwarded, c.filtered, c.deadLettered)
            }
            let now = Totals(snapshot)
            let was = last.totals
            commits.increment(by: max(now.commits - was.commits, 0))
            rewinds.increment(by: max(now.rewinds - was.rewinds, 0))
            transactions.increment(by: max(now.transactions - was.transactions, 0))
            transactionAborts.increment(by: max(now.aborts - was.aborts, 0))
            rebalances.increment(by: max(now.rebalances - was.rebalances, 0))
            consumerErrors.increment(by: max(now.consumerErrors - was.consumerErrors, 0))
            producerErrors.increment(by: max(now.producerErrors - was.producerErrors, 0))
            lostRecords.increment(by: max(now.lostRecords - was.lostRecords, 0))
            last.totals = now
            for (name, seconds) in eventTimeLags { operators[name]?.eventTimeLag.record(seconds) }
        }
        tasks.record(snapshot.tasks.count)
        updateRestores(snapshot.observations.restoreProgress)
    }

    /// Sets the per-partition gauges; partitions no longer in `lags` lose their series.
    func updateLag(_ lags: [PartitionLag]) {
        partitionGauges.withLock { gauges in
            let current = Set(lags.map(\.topicPartition))
            for (tp, g) in gauges where !current.contains(tp) {
                g.destroy()
                gauges[tp] = nil
            }
            for lag in lags {
                let g = gauges[lag.topicPartition] ?? PartitionGauges(lag.topicPartition, application: application, factory: factory)
                gauges[lag.topicPartition] = g
                g.lag.record(lag.lag)
                g.end.record(lag.endOffset)
                if let committed = lag.committedOffset { g.committed.record(committed) }
            }
        }
    }

    private func updateRestores(_ progress: [RestoreProgress]) {
        guard !progress.isEmpty else { return }
        restoreGauges.withLock { gauges in
            for p in progress {
                let key = RestoreProgress.Key(store: p.store, task: p.task)
                let g = gauges[key] ?? Gauge(
                    label: MetricNames.restored,
                    dimensions: [("application", application), ("store", p.store), ("task", p.task)], factory: factory)
                gauges[key] = g
                g.record(p.restored)
            }
        }
    }

    /// Sums of the worker-wide counts, as last reported.
    struct Totals {
        var commits = 0
        var rewinds = 0
        var transactions = 0
        var aborts = 0
        var rebalances = 0
        var consumerErrors = 0
        var producerErrors = 0
        var lostRecords = 0

        init() {}
        init(_ s: WorkerSnapshot) {
            commits = s.commits
            rewinds = s.rewinds
            transactions = s.transactions
            aborts = s.aborts
            rebalances = s.observations.rebalances
            consumerErrors = s.observations.consumerErrors
            producerErrors = s.observations.producerErrors
            lostRecords = Int(s.lostRecords)
        }
    }

    private struct Reported {
        var operators: [String: (received: Int, forwarded: Int, filtered: Int, deadLettered: Int)] = [:]
        var totals = Totals()
    }
}

/// The instruments of one operator.
private struct OperatorInstruments: Sendable {
    let received: Counter
    let forwarded: Counter
    let filtered: Counter
    let deadLettered: Counter
    let eventTimeLag: Gauge

    init(dimensions: [(String, String)], factory: any MetricsFactory) {
        received = Counter(label: MetricNames.received, dimensions: dimensions, factory: factory)
        forwarded = Counter(label: MetricNames.forwarded, dimensions: dimensions, factory: factory)
        filtered = Counter(label: MetricNames.filtered, dimensions: dimensions, factory: factory)
        deadLettered = Counter(label: MetricNames.deadLettered, dimensions: dimensions, factory: factory)
        eventTimeLag = Gauge(label: MetricNames.eventTimeLag, dimensions: dimensions, factory: factory)
    }
}

/// The gauges of one source partition.
private struct PartitionGauges: Sendable {
    let lag: Gauge
    let committed: Gauge
    let end: Gauge

    init(_ tp: TopicPartition, application: String, factory: any MetricsFactory) {
        let dimensions = [("application", application), ("topic", tp.topic), ("partition", "\(tp.partition)")]
        lag = Gauge(label: MetricNames.consumerLag, dimensions: dimensions, factory: factory)
        committed = Gauge(label: MetricNames.committedOffset, dimensions: dimensions, factory: factory)
        end = Gauge(label: MetricNames.endOffset, dimensions: dimensions, factory: factory)
    }

    func destroy() {
        lag.destroy()
        committed.destroy()
        end.destroy()
    }
}

extension RestoreProgress {
    struct Key: Hashable {
        var store: String
        var task: String
    }
}
