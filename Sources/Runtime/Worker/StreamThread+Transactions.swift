import Foundation
import Logging
import SluiceOperators
import SluiceTopology

// Exactly-once (DESIGN.md §3, Kafka Streams' exactly_once_v2): one transactional producer per
// stream thread. The first send of a commit interval begins a transaction; the commit step adds
// the changelog records and the input offsets (with the consumer's group metadata, so a zombie of
// an older generation is refused) and commits it. Stores write their changes to RocksDB only after
// the commit succeeded, so what RocksDB holds is always committed state; an abort discards the
// pending changes, rewinds the tasks and reads the input again from the committed offsets.
extension StreamThread {
    /// The commit step under exactly-once.
    /// - Parameter revoking: the tasks close right after (a rebalance): an abort only discards.
    func commitTransaction(revoking: Bool) throws {
        lastCommit = ContinuousClock.now
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var changed: [StreamTask] = []
        do {
            for id in running.sorted() {
                let task = tasks[id]!
                let dirty = task.state.hasPendingChanges
                try task.prepareCommit(timestamp: now)
                if dirty { changed.append(task) }
            }
        } catch {
            guard let cause = abortable(error) else { throw error }
            return try abort(because: cause, rewind: !revoking)
        }
        let offsets = pendingOffsets()
        if offsets.isEmpty && !collector.inTransaction { return publish() }
        let started = ContinuousClock.now
        if let failure = transact(offsets) {
            guard failure.isFatal || failure.code == .fenced else { return try abort(because: failure, rewind: !revoking) }
            // Another producer with this transactional id took over (a newer instance of this
            // worker, or the group moved the tasks and this one is a zombie): it must not commit
            // anything, ever. The thread stops; its pending store changes die with it.
            throw StreamsError(
                .fatal,
                "stream thread \(index): transactional producer '\(transactionalID)' was fenced or failed fatally; "
                    + "nothing of the open transaction was committed; restart the worker to rejoin", underlying: failure)
        }
        collector.transactionEnded()
        collector.resetSent()
        consecutiveAborts = 0
        for task in changed { try task.finishCommit() }
        if mockBroker && !offsets.isEmpty {
            // librdkafka 2.0.2's mock acknowledges the transaction's offsets without storing them
            // (DESIGN.md §4). Only there, commit them through the group as well, after the
            // transaction: a restart then resumes near the last transaction instead of at the
            // beginning. A crash between the two reprocesses one interval, which is why the mock
            // cannot prove exactly-once across crashes and the real-broker suite does.
            if let refused = commitOffsets(offsets) {
                logger.warning("embedded broker: group commit after the transaction refused", metadata: ["error": "\(refused)"])
            }
        }
        observer.committed(since: started)
        noteCommitted(offsets)
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        try checkpoint(changed.filter { $0.state.changesSinceCheckpoint >= config.checkpointChanges })
        snapshot.commits += 1
        snapshot.transactions += 1
        snapshot.lastCommitDuration = ContinuousClock.now - started
        publish()
    }

    /// Aborts in a row before a thread gives up.
    static let abortLimit = 10
    /// A transaction's commit waits for its deliveries in calls this long, this many times.
    static let commitAttemptTimeout: Duration = .seconds(5)
    static let commitAttempts = 12

    /// Adds `offsets` to the open transaction (opening one if nothing was sent) and commits it;
    /// returns the error instead of throwing it.
    private func transact(_ offsets: [TopicPartitionOffset]) -> KafkaError? {
        do {
            try collector.beginTransactionIfNeeded()
            if !offsets.isEmpty {
                try collector.producer.sendOffsetsToTransaction(offsets, groupMetadata: consumer.groupMetadata(), timeout: .seconds(30))
            }
        } catch {
            return error
        }
        // A commit that timed out may be called again (librdkafka: retriable) until it completes.
        // Short calls, as many as a minute holds: librdkafka reports a transaction that failed
        // while its commit waited for deliveries (e.g. skipped sequence numbers after a failed
        // request) only when the call returns, so one long call could wait a minute to abort.
        var attempts = 0
        while true {
            do {
                try collector.producer.commitTransaction(timeout: Self.commitAttemptTimeout)
                return nil
            } catch {
                attempts += 1
                guard error.isRetriable, !error.requiresAbort, !error.isFatal, attempts < Self.commitAttempts else { return error }
                logger.warning("transaction commit not complete yet; retrying", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The Kafka error behind `error` when an abort and a rewind recover from it: a failed send or
    /// delivery inside the transaction, not a fatal or fenced producer.
    func abortable(_ error: any Error) -> KafkaError? {
        guard collector.transactional else { return nil }
        let kafka = (error as? KafkaError) ?? (error as? StreamsError)?.underlying
        guard let kafka, kafka.code != .fenced, collector.producer.client.fatalError() == nil else { return nil }
        // A send into a transaction that already failed (a delivery failed) is refused with
        // _STATE, which is fatal elsewhere; here the producer is sound and an abort recovers.
        guard !kafka.isFatal || kafka.rdKafkaName == "_STATE" else { return nil }
        return kafka
    }

    /// Aborts the open transaction and forgets what it held; unless the tasks are closing anyway,
    /// rewinds them to their committed offsets and state.
    func abort(because cause: KafkaError, rewind: Bool) throws {
        logger.error("transaction aborted; rewinding to the committed offsets and state", metadata: ["error": "\(cause)"])
        consecutiveAborts += 1
        if consecutiveAborts > Self.abortLimit {
            abandonTransaction()
            throw StreamsError(
                .fatal, "stream thread \(index): \(consecutiveAborts) transactions in a row aborted; last cause: \(cause)", underlying: cause)
        }
        abandonTransaction()
        if rewind { try rewindTasks() }
        publish()
    }

    /// Aborts the open transaction, if any, and discards every task's pending store changes.
    func abandonTransaction() {
        if collector.inTransaction || collector.sent > 0 {
            do {
                try collector.producer.abortTransaction(timeout: .seconds(60))
            } catch {
                // The producer is unusable (fenced or fatal): the next send or commit fails
                // fatally and stops the thread; nothing of this transaction is committed.
                logger.error("abort failed", metadata: ["error": "\(error)"])
            }
        }
        collector.transactionEnded()
        collector.resetSent()
        for task in tasks.values { task.state.discardPending() }
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        snapshot.aborts += 1
    }

    /// Brings every running task back to its last committed transaction: RocksDB already holds
    /// exactly that state (nothing reaches it before a commit), so it persists and checkpoints the
    /// changelogs' current ends (the aborted records lie before them and are never restored);
    /// the tasks are rebuilt, which forgets what operators keep in memory (stream time,
    /// suppression indexes), and reopen without a restore; the input is read again from the
    /// committed offsets.
    func rewindTasks() throws {
        let ids = running.sorted()
        try checkpoint(ids.compactMap { tasks[$0] })
        for id in ids {
            guard let task = tasks.removeValue(forKey: id) else { continue }
            for c in task.context.counts { retired[c.node.name] = retired[c.node.name].map { $0 + c } ?? c }
            task.close()
            running.remove(id)
            slots[id.subtopology][Int(id.partition)] = nil
        }
        for id in ids {
            try openTask(id)
            if !running.contains(id) {  // an in-memory store restores its whole changelog first
                let inputs = plan.subtopologies[id.subtopology].sourceTopics.map { TopicPartition($0, id.partition) }
                try consumer.pause(inputs)
                pausedForRestore.formUnion(inputs)
            }
        }
        let assigned = try consumer.assignment()
        try consumer.seek(try consumer.committed(assigned, timeout: .seconds(30)), timeout: .seconds(30))
        snapshot.rewinds += 1
    }
}
