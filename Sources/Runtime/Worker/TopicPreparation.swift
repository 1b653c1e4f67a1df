import Logging
import SluiceTopology

/// Before the threads start: checks the topics a topology reads and writes, and creates its
/// internal topics (repartition, dead-letter), with partition counts derived from its inputs.
struct TopicPreparation {
    let plan: TopologyPlan
    let admin: KafkaAdmin
    let config: WorkerConfig
    let logger: Logger

    /// - Returns: the partition count of every topic the application reads or creates.
    @discardableResult
    func run() throws -> PartitionCounts {
        let onEmbedded = admin.backend != .kafka
        var existing = Dictionary(uniqueKeysWithValues: try admin.listTopics().map { ($0.name, $0.partitionCount) })
        let inputs = plan.inputTopics + plan.globalTables.map(\.topic)
        let missingInputs = inputs.filter { existing[$0] == nil }
        if !missingInputs.isEmpty {
            guard onEmbedded else {
                throw StreamsError(.topics, "input topics do not exist: \(missingInputs.joined(separator: ", "))")
            }
            try admin.createTopics(missingInputs.map { NewTopic($0, partitions: config.defaultPartitions) })
            for t in missingInputs { existing[t] = config.defaultPartitions }
            logger.notice("created input topics on the embedded broker", metadata: ["topics": "\(missingInputs)"])
        }

        // Joined topics must be co-partitioned; repartition topics follow what they are joined
        // with, else their feeders (TopologyPlan.partitionCounts).
        let counts: PartitionCounts
        do {
            counts = try plan.partitionCounts(existing: existing.filter { inputs.contains($0.key) })
        } catch {
            throw StreamsError(.topics, "\(error)")
        }
        try checkExistingInternalTopics(existing, counts)
        var internalTopics = plan.internalTopics.map { NewTopic($0.name, partitions: counts.topics[$0.name] ?? 1) }
        let widest = max(counts.subtopologyWidths.max() ?? 1, 1)
        internalTopics.append(NewTopic(plan.deadLetterTopic, partitions: widest))
        // A changelog has one partition per task of its sub-topology. A table mirroring its
        // source topic has none to create.
        for (sub, spec) in plan.stores where spec.ownsChangelog {
            internalTopics.append(
                NewTopic(
                    spec.changelogTopic(applicationID: plan.applicationID), partitions: counts.subtopologyWidths[sub],
                    configs: spec.changelogConfigs))
        }
        internalTopics.append(WorkerRegistry.newTopic(for: plan.applicationID))
        try admin.createTopics(internalTopics)

        let missingOutputs = plan.outputTopics.filter { existing[$0] == nil && !internalTopics.map(\.name).contains($0) }
        if !missingOutputs.isEmpty {
            if onEmbedded {
                try admin.createTopics(missingOutputs.map { NewTopic($0, partitions: widest) })
            } else {
                logger.warning("output topics do not exist yet; the broker must create them", metadata: ["topics": "\(missingOutputs)"])
            }
        }
        return counts
    }

    /// A joined internal topic left by an earlier run with another partition count would join
    /// the wrong partitions: refuse to start rather than produce wrong results.
    private func checkExistingInternalTopics(_ existing: [String: Int], _ counts: PartitionCounts) throws {
        for group in plan.copartitionGroups {
            for t in group.topics {
                guard let have = existing[t], let want = counts.topics[t], plan.internalTopics.contains(where: { $0.name == t }), have != want
                else { continue }
                throw StreamsError(
                    .topics,
                    "internal topic \(t) has \(have) partitions, but it is joined (by \(group.joins.joined(separator: ", "))) "
                        + "with topics of \(want) partitions; reset the application (sluice reset) to recreate it")
            }
        }
    }
}
