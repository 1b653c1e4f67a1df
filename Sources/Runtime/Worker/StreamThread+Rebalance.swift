import Foundation
import Logging
import SluiceOperators
import SluiceTopology

// Rebalances, called inside `consumer.poll` on this thread. Assigned tasks open their stores and,
// when their changelogs hold more than their local state, restore first with their input paused.
extension StreamThread {
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        snapshot.rebalances += 1
        snapshot.observations.rebalances += 1
        snapshot.observations.forget(partitions)
        snapshot.assigned = Array(Set(snapshot.assigned).union(partitions)).sorted()
        do {
            for tp in partitions {
                guard let sub = plan.subtopology(reading: tp.topic) else { continue }
                let id = TaskID(subtopology: sub, partition: tp.partition)
                if tasks[id] != nil { continue }
                try openTask(id)
            }
        } catch {
            state.fail((error as? StreamsError) ?? StreamsError(.fatal, "opening tasks: \(error)"))
        }
        // Restoring tasks wait with their input paused; nothing has been fetched for them yet.
        let waiting = partitions.filter { tp in
            plan.subtopology(reading: tp.topic).map { !running.contains(TaskID(subtopology: $0, partition: tp.partition)) } ?? false
        }
        if !waiting.isEmpty {
            try? consumer.pause(waiting)
            pausedForRestore.formUnion(waiting)
        }
        logger.info("partitions assigned", metadata: ["running": "\(running.sorted())", "restoring": "\(tasks.count - running.count)"])
        publish()
    }

    /// Divides this thread's share of `config.storeCacheBytes` evenly among its stores (a store
    /// whose share changes empties its cache).
    func shareStoreCache() {
        let stores = tasks.values.flatMap { $0.state.stores.values }
        guard !stores.isEmpty else { return }
        let share = config.storeCacheBytes / max(1, config.threads) / stores.count
        for store in stores where store.readCacheBytes != share { store.readCacheBytes = share }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        do {
            try commit(revoking: true)
        } catch {
            logger.error("commit before revocation failed", metadata: ["error": "\(error)"])
        }
        closeTasks(of: partitions, clean: true)
    }

    func partitionsLost(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        // Under exactly-once the open transaction holds their outputs: abort it (a new owner's
        // producer would fence it anyway) and forget every pending store change.
        if collector.transactional { abandonTransaction() }
        // Another member may own them already: nothing of theirs may be committed. Their stores
        // close as they were at the last commit, which their checkpoints describe.
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        closeTasks(of: partitions, clean: false)
        if collector.transactional && !running.isEmpty { rewindRequested = true }
    }

    func openTask(_ id: TaskID) throws {
        let task = try StreamTask(
            id: id, plan: plan, collector: collector, stores: stores.open, globals: globals, partitions: partitions,
            wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
        tasks[id] = task
        shareStoreCache()
        // A checkpoint stays valid after it is written: the stores may get ahead of it (RocksDB
        // flushes when it likes), and replaying the changelog from it converges. A store without
        // one is emptied first: rows left by an earlier stay of the task here, which a compacted
        // changelog may no longer mention, must not outlive its restore.
        var checkpoint: [String: Int64] = [:]
        for store in task.state.stores.values where store.persistent {
            if let offset = try store.checkpointedOffset() { checkpoint[store.changelog.topic] = offset } else { try store.clear() }
        }
        let committed = try committedOffsets(ofSourcesMirroredBy: task)
        if try !restorer.begin(task, checkpoint: checkpoint, committed: committed) { try startProcessing(id) }
    }

    /// The task's stores are complete: it processes from now on.
    func startProcessing(_ id: TaskID) throws {
        guard let task = tasks[id] else { return }
        running.insert(id)
        while slots[id.subtopology].count <= Int(id.partition) { slots[id.subtopology].append(nil) }
        slots[id.subtopology][Int(id.partition)] = task
        // Resume only what this thread paused: librdkafka drops the records it fetched for a
        // partition it is asked to resume, paused or not.
        let inputs = plan.subtopologies[id.subtopology].sourceTopics.map { TopicPartition($0, id.partition) }
        let held = try holdStreamsUntilTablesRead(id, inputs: inputs)
        pausedForRestore.subtract(held)
        let paused = inputs.filter(pausedForRestore.contains)
        if !paused.isEmpty {
            try consumer.resume(paused)
            pausedForRestore.subtract(paused)
        }
        logger.info("task running", metadata: ["task": "\(id)"])
    }

    private func closeTasks(of partitions: [TopicPartition], clean: Bool) {
        snapshot.observations.forget(partitions)
        snapshot.assigned.removeAll { partitions.contains($0) }
        var closing = Set<TaskID>()
        for tp in partitions {
            guard let sub = plan.subtopology(reading: tp.topic) else { continue }
            closing.insert(TaskID(subtopology: sub, partition: tp.partition))
        }
        // Offsets of partitions that left may not be committed any more (their last commit may
        // have been refused): their new owner starts from the group's committed offsets.
        for (topicID, name) in topicNames where topicID < pending.count {
            for tp in partitions where tp.topic == name && Int(tp.partition) < pending[topicID].count { pending[topicID][Int(tp.partition)] = -1 }
        }
        forgetTableCatchUp(closing)
        if clean {
            // All at once: one flush of the stores' database for every task closing, not one each
            // (64 flushes made 64 small files for RocksDB to compact).
            let checkpointed = closing.sorted().filter(running.contains).compactMap { tasks[$0] }
            do {
                try checkpoint(checkpointed)
            } catch {
                logger.error("checkpoint on close failed", metadata: ["tasks": "\(checkpointed.map(\.id))", "error": "\(error)"])
            }
        }
        for id in closing.sorted() {
            guard let task = tasks.removeValue(forKey: id) else { continue }
            try? restorer.cancel(id)
            for c in task.context.counts { retired[c.node.name] = retired[c.node.name].map { $0 + c } ?? c }
            task.close()
            running.remove(id)
            pausedForRestore = pausedForRestore.filter { plan.subtopology(reading: $0.topic) != id.subtopology || $0.partition != id.partition }
            if slots[id.subtopology].indices.contains(Int(id.partition)) { slots[id.subtopology][Int(id.partition)] = nil }
        }
        logger.info("partitions revoked", metadata: ["running": "\(running.sorted())"])
        publish()
        shareStoreCache()
    }
}
