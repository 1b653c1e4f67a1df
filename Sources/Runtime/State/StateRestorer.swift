import Logging
import SluiceOperators
import SluiceTopology

/// Rebuilds tasks' stores from their changelogs before the tasks process (DESIGN.md §3), a little
/// at a time, so the stream thread goes on serving its consumer group while it restores.
///
/// A restore starts at the task's checkpoint (or at the beginning) and ends at the changelog's end
/// as it was when the restore began: only this task writes that changelog partition, and it does
/// not write while restoring. A table that mirrors its source topic (`TableChangelog.sourceTopic`)
/// restores from that topic up to the application's committed offset instead: the task processes
/// the rest. A changelog that no longer holds the records a key-value store needs (evicted or
/// deleted) fails the task loudly; windowed changelogs expire old records by design.
/// - Important: owned by one stream thread.
final class StateRestorer {
    private struct Target {
        let task: TaskID
        let store: StateStore
        let start: Int64
        let end: Int64
        var position: Int64
    }

    private let client: KafkaConfig
    private let applicationID: String
    private let logger: Logger
    /// Made when a task first has a store to restore: a stateless topology never needs one, and
    /// an idle librdkafka client still costs its threads' wake-ups for the worker's whole life.
    private var openConsumer: KafkaConsumer?
    private var targets: [TopicPartition: Target] = [:]
    private var restoring: [TaskID: Int] = [:]
    private(set) var restoredRecords = 0

    init(client: KafkaConfig, applicationID: String, logger: Logger) {
        self.client = client
        self.applicationID = applicationID
        self.logger = logger
    }

    private var consumer: KafkaConsumer {
        get throws {
            if let openConsumer { return openConsumer }
            // Changelogs are read without a group; read_committed so an aborted transaction's
            // writes never reach a store.
            let made = try KafkaConsumer(
                config: ConsumerConfig(client: client, groupID: "\(applicationID)-restore", isolation: .readCommitted, offsetReset: .earliest),
                logger: logger)
            openConsumer = made
            return made
        }
    }

    var isIdle: Bool { targets.isEmpty }

    /// Changelog records still to restore, over every task.
    var remainingRecords: Int64 { targets.values.reduce(0) { $0 + ($1.end - $1.position) } }

    /// Each store's restore so far, for the dashboard and metrics.
    var progress: [RestoreProgress] {
        targets.values.map {
            RestoreProgress(store: $0.store.spec.name, task: "\($0.task)", restored: $0.position - $0.start, total: $0.end - $0.start)
        }
    }

    /// Starts restoring `task`'s stores from `checkpoint`.
    /// - Parameter committed: the application's committed offsets of the source topics the task's
    ///   stores mirror (absent: nothing committed), where their restores end.
    /// - Returns: whether anything must be restored before the task may process.
    /// - Throws: `StreamsError` when a changelog lacks records the store needs.
    func begin(_ task: StreamTask, checkpoint: [String: Int64], committed: [TopicPartition: Int64] = [:]) throws -> Bool {
        var added = 0
        var starts: [TopicPartitionOffset] = []
        for store in task.state.stores.values {
            let tp = TopicPartition(store.changelog.topic, store.changelog.partition)
            let mirrorsSource = !store.spec.ownsChangelog
            // A mirrored source topic is read only up to the committed offset: what follows is
            // the task's to process, and it may not be committed (a transaction still open).
            // Nothing committed, nothing to restore: no need to ask the broker for watermarks.
            let committedEnd = mirrorsSource ? committed[tp] : nil
            if mirrorsSource && committedEnd == nil { continue }
            let marks = try consumer.watermarks(tp, timeout: .seconds(30))
            let end = committedEnd ?? marks.high
            var start = checkpoint[tp.topic] ?? 0
            let low = marks.low
            if low > start && start < end {
                switch store.spec.kind {
                case .keyValue, .buffer:
                    throw StreamsError(
                        .fatal,
                        "task \(task.id): \(mirrorsSource ? "source topic" : "changelog") \(tp) starts at offset \(low), but store "
                            + "\(store.spec.name) needs it from \(start); its records were evicted or deleted, so the restored state "
                            + "would be wrong"
                            + (mirrorsSource ? " (a table restored from its source topic needs that topic compacted, never expired)" : ""))
                case .window, .timeOrderedWindow, .session:
                    start = low  // windows before the low watermark have expired anyway
                }
            }
            guard start < end else { continue }
            // Already being read (begun twice): read again from this restore's start.
            if targets[tp] != nil { try consumer.incrementalUnassign([tp]) }
            targets[tp] = Target(task: task.id, store: store, start: start, end: end, position: start)
            starts.append(TopicPartitionOffset(tp, offset: start))
            added += 1
            logger.info(
                "restoring store", metadata: ["store": "\(store.spec.name)", "task": "\(task.id)", "from": "\(start)", "to": "\(end)"])
        }
        if added > 0 {
            restoring[task.id] = added
            try consumer.incrementalAssign(starts)
        }
        return added > 0
    }

    /// Stops restoring `task` (it was revoked).
    func cancel(_ task: TaskID) throws {
        guard restoring.removeValue(forKey: task) != nil else { return }
        let cancelled = targets.filter { $0.value.task == task }.map(\.key)
        for tp in cancelled { targets.removeValue(forKey: tp) }
        try consumer.incrementalUnassign(cancelled)
    }

    /// Applies what arrives within `timeout`. - Returns: tasks whose stores are now complete.
    func step(timeout: Duration) throws -> [TaskID] {
        guard !targets.isEmpty else { return [] }
        var finished: [TaskID] = []
        try consumer.poll(maxRecords: 10_000, timeout: timeout) { batch in
            if let error = batch.errors.first(where: \.isFatal) { throw StreamsError(.fatal, "restore: \(error.reason)", underlying: error) }
            for loss in batch.losses {
                throw StreamsError(.fatal, "restore: \(loss); the restored state would be wrong")
            }
            for i in 0..<batch.count {
                let r = batch[i]
                let tp = TopicPartition(r.topic, r.partition)
                guard var target = targets[tp], r.offset >= target.position, r.offset < target.end else { continue }
                try target.store.restore(key: r.key, value: r.value, timestamp: r.timestamp)
                target.position = r.offset + 1
                targets[tp] = target
                restoredRecords += 1
            }
        }
        // A position can jump past records that are not data (transaction markers), so compare to the
        // consumer's position, not only to the last record seen.
        let positions = try consumer.positions(Array(targets.keys))
        for p in positions { if let offset = p.offset, var t = targets[p.topicPartition], offset > t.position { t.position = offset; targets[p.topicPartition] = t } }
        var done: [TopicPartition] = []
        for (tp, target) in targets where target.position >= target.end {
            try target.store.finishRestore()
            targets.removeValue(forKey: tp)
            done.append(tp)
            logger.info("restored store", metadata: ["store": "\(target.store.spec.name)", "task": "\(target.task)", "records": "\(target.store.restored)"])
            restoring[target.task, default: 1] -= 1
            if restoring[target.task] == 0 {
                restoring.removeValue(forKey: target.task)
                finished.append(target.task)
            }
        }
        // Changelogs read to their end leave the assignment; the others fetch on undisturbed
        // (assigning the rest again restarted them all, see `KafkaConsumer.incrementalAssign`).
        try consumer.incrementalUnassign(done)
        return finished
    }

    func close() { try? openConsumer?.close() }
}
