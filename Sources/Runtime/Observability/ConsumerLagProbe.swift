import SluiceOperators
import SluiceTopology

/// Measures consumer lag of the partitions a worker owns: end offsets from the brokers (one
/// ListOffsets per leader), committed offsets from what the stream threads committed, or the
/// group's committed offset where a thread has not committed a partition since it got it.
/// - Important: blocking; runs on the monitor thread, never on a stream thread.
struct ConsumerLagProbe {
    let admin: KafkaAdmin
    let plan: TopologyPlan

    /// The source partitions of the worker's tasks.
    func ownedPartitions(_ snapshot: WorkerSnapshot) -> [TopicPartition] {
        snapshot.tasks.flatMap { task in
            plan.subtopologies[task.subtopology].sourceTopics.map { TopicPartition($0, task.partition) }
        }
    }

    func measure(_ snapshot: WorkerSnapshot) throws(KafkaError) -> [PartitionLag] {
        let owned = ownedPartitions(snapshot)
        guard !owned.isEmpty else { return [] }
        let ends = try admin.endOffsets(owned)
        var committed = snapshot.observations.committedOffsets
        let unknown = owned.filter { committed[$0] == nil }
        if !unknown.isEmpty {
            committed.merge(try admin.committedOffsets(group: plan.applicationID, partitions: unknown)) { a, _ in a }
        }
        let never = owned.filter { committed[$0] == nil }
        let starts = never.isEmpty ? [:] : try admin.beginningOffsets(never)
        return owned.compactMap { tp in
            guard let end = ends[tp] else { return nil }
            let from = committed[tp] ?? starts[tp] ?? 0
            return PartitionLag(
                topic: tp.topic, partition: tp.partition, committedOffset: committed[tp], endOffset: end,
                lag: max(end - from, 0))
        }
    }
}
