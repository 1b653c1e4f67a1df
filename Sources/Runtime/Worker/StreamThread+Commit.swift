import Foundation
import Logging
import SluiceOperators
import SluiceTopology

extension StreamThread {
    /// The commit step (DESIGN.md §3): stores write their changes to their changelogs, every output
    /// and changelog record is acknowledged, only then are input offsets committed (at-least-once),
    /// and stores far enough ahead of their checkpoint persist and checkpoint their changelog
    /// position. A failed delivery rewinds the partitions to their committed offsets instead.
    /// Under exactly-once, `commitTransaction` does the step instead.
    /// - Parameter revoking: the tasks close right after (a rebalance): nothing to rewind.
    func commit(revoking: Bool = false) throws {
        if collector.transactional { return try commitTransaction(revoking: revoking) }
        lastCommit = ContinuousClock.now
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var changed: [StreamTask] = []
        for id in running.sorted() {
            let task = tasks[id]!
            let dirty = task.state.hasPendingChanges
            try task.commitState(timestamp: now)
            if dirty { changed.append(task) }
        }
        let offsets = pendingOffsets()
        if offsets.isEmpty && collector.sent == 0 && changed.isEmpty { return publish() }
        let started = ContinuousClock.now
        do {
            try flush()
        } catch {
            guard let kafka = error as? KafkaError, !kafka.isFatal else { throw error }
            logger.error("outputs not acknowledged: rewinding to the committed offsets", metadata: ["error": "\(kafka)"])
            try rewind()
            return
        }
        if let refused = commitOffsets(offsets) {
            guard refused.isRetriable, !refused.isFatal else { throw refused }
            // The group is rebalancing (REBALANCE_IN_PROGRESS): the offsets stay pending for the
            // next commit step or the revocation. The outputs are delivered, so if the partitions
            // move first, their new owner processes these records again (at-least-once).
            snapshot.refusedCommits += 1
            snapshot.observations.consumerErrors += 1
            logger.warning("offsets not committed while the group rebalances; retrying", metadata: ["error": "\(refused)"])
        } else {
            observer.committed(since: lastCommit)
            noteCommitted(offsets)
            for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        }
        collector.resetSent()
        // Persisting flushes RocksDB's memtables to new SST files: per commit and store that is
        // thousands of small files, fsyncs and compactions a second. As Kafka Streams does, a
        // store persists once a restore would otherwise replay `config.checkpointChanges`
        // changes, and on close; a crash in between replays at most that many changelog records.
        try checkpoint(changed.filter { $0.state.changesSinceCheckpoint >= config.checkpointChanges })
        snapshot.commits += 1
        snapshot.lastCommitDuration = ContinuousClock.now - started
        publish()
    }

    /// The next offset to commit of every partition that moved since the last commit.
    func pendingOffsets() -> [TopicPartitionOffset] {
        var offsets: [TopicPartitionOffset] = []
        for (topicID, partitions) in pending.enumerated() {
            for (p, next) in partitions.enumerated() where next >= 0 {
                offsets.append(TopicPartitionOffset(TopicPartition(topicNames[topicID]!, Int32(p)), offset: next))
            }
        }
        return offsets
    }

    /// Commits `offsets`; returns the error instead of throwing it.
    func commitOffsets(_ offsets: [TopicPartitionOffset]) -> KafkaError? {
        do {
            try consumer.commit(offsets)
            return nil
        } catch {
            return error
        }
    }

    /// Waits out broker outages: flush again while records are merely slow, until delivery fails.
    func flush() throws {
        while true {
            do {
                try collector.producer.flush(timeout: .seconds(10))
                return
            } catch {
                guard error.code == .timedOut else { throw error }
                logger.warning("outputs still in flight; waiting", metadata: ["in_flight": "\(collector.producer.inFlight)"])
            }
        }
    }

    /// Records that the stores of `tasks` hold their changelogs up to the changelogs' current ends
    /// (this task is their only writer, and everything it wrote is acknowledged), and makes the
    /// checkpoints and the rows they describe survive a crash.
    func checkpoint(_ tasks: [StreamTask]) throws {
        // Stores in memory (suppression buffers) are restored from their start: no checkpoint.
        let tasks = tasks.filter { $0.state.stores.values.contains(where: \.persistent) }
        guard !tasks.isEmpty else { return }
        var partitions: [TopicPartition] = []
        for task in tasks {
            for store in task.state.stores.values where store.persistent && store.spec.ownsChangelog {
                partitions.append(TopicPartition(store.changelog.topic, store.changelog.partition))
            }
        }
        var ends = partitions.isEmpty ? [:] : try collector.producer.endOffsets(partitions, timeout: .seconds(30))
        // A store mirroring its source topic holds it up to what the task processed: at least to
        // the last committed offset (this step's, or an earlier one if the group refused it).
        ends.merge(mirroredSourceOffsets) { a, _ in a }
        for task in tasks {
            for store in task.state.stores.values where store.persistent {
                if let end = ends[TopicPartition(store.changelog.topic, store.changelog.partition)] { try store.checkpoint(end) }
            }
        }
        // One flush for every store of the worker: they share one database.
        try stores.flush()
        for task in tasks { task.state.checkpointed() }
    }

    /// `offsets` are committed: observed, and kept for the checkpoints of mirroring tables.
    func noteCommitted(_ offsets: [TopicPartitionOffset]) {
        snapshot.observations.committed(offsets)
        guard !mirroredSources.isEmpty else { return }
        for o in offsets where mirroredSources.contains(o.topicPartition.topic) {
            if let offset = o.offset { mirroredSourceOffsets[o.topicPartition] = offset }
        }
    }

    /// Asks the group for its committed offsets of the source topics `task`'s stores mirror
    /// (`TableChangelog.sourceTopic`), where their restores end, and keeps them for checkpoints.
    func committedOffsets(ofSourcesMirroredBy task: StreamTask) throws -> [TopicPartition: Int64] {
        let partitions = task.state.stores.values.filter { !$0.spec.ownsChangelog }
            .map { TopicPartition($0.changelog.topic, $0.changelog.partition) }
        guard !partitions.isEmpty else { return [:] }
        for tp in partitions { mirroredSourceOffsets[tp] = nil }
        for c in try consumer.committed(partitions, timeout: .seconds(30)) {
            if let offset = c.offset, offset >= 0 { mirroredSourceOffsets[c.topicPartition] = offset }
        }
        return mirroredSourceOffsets.filter { partitions.contains($0.key) }
    }

    private func rewind() throws {
        let assigned = try consumer.assignment()
        let committed = try consumer.committed(assigned, timeout: .seconds(30))
        try consumer.seek(committed, timeout: .seconds(30))
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        collector.resetSent()
        snapshot.rewinds += 1
    }
}
