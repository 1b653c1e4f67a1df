import Logging
import SluiceTopology

/// Before the threads start: checks the topics a topology reads and writes, and creates its
/// internal topics (repartition, dead-letter), with partition counts derived from its inputs.
struct TopicPreparation {
    let plan: TopologyPlan
    let admin: KafkaAdmin
    let config: WorkerConfig
    let logger: Logger

    /// - Returns: the partition count of each sub-topology (its tasks), by sub-topology id.
    @discardableResult
    func run() throws -> [Int] {
        let onEmbedded = admin.backend != .kafka
        var existing = Dictionary(uniqueKeysWithValues: try admin.listTopics().map { ($0.name, $0.partitionCount) })
        let inputs = plan.inputTopics
        let missingInputs = inputs.filter { existing[$0] == nil }
        if !missingInputs.isEmpty {
            guard onEmbedded else {
                throw StreamsError(.topics, "input topics do not exist: \(missingInputs.joined(separator: ", "))")
            }
            try admin.createTopics(missingInputs.map { NewTopic($0, partitions: config.defaultPartitions) })
            for t in missingInputs { existing[t] = config.defaultPartitions }
            logger.notice("created input topics on the embedded broker", metadata: ["topics": "\(missingInputs)"])
        }

        // Partitions per sub-topology: its widest input; repartition topics follow their feeders.
        var width = [Int](repeating: 0, count: plan.subtopologies.count)
        for sub in plan.subtopologies {
            width[sub.id] = sub.sourceTopics.compactMap { existing[$0] }.max() ?? 0
        }
        var internalTopics: [NewTopic] = []
        for t in plan.internalTopics {
            let partitions = t.partitions ?? max(width[t.feedingSubtopology], 1)
            internalTopics.append(NewTopic(t.name, partitions: partitions))
            if let sub = plan.subtopology(reading: t.name) { width[sub] = max(width[sub], partitions) }
        }
        let widest = max(width.max() ?? 1, 1)
        internalTopics.append(NewTopic(plan.deadLetterTopic, partitions: widest))
        // A changelog has one partition per task of its sub-topology.
        for (sub, spec) in plan.stores {
            internalTopics.append(
                NewTopic(spec.changelogTopic(applicationID: plan.applicationID), partitions: max(width[sub], 1), configs: spec.changelogConfigs))
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
        return width.map { max($0, 1) }
    }
}
