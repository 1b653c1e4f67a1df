import Logging
import SluiceOperators
import SluiceTopology
import Synchronization

/// Keeps a worker's global tables (DESIGN.md §2, `GlobalTable`) up to date: reads every partition
/// of their topics, outside any consumer group, and applies each record to its store. Before the
/// stream threads start, `restore` reads each topic up to the end it has at that moment, so joins
/// see the whole table from their first record; `run` then follows the topics until the worker stops.
///
/// A global table has no changelog: its topic is its changelog, so it should be compacted.
/// - Important: owned by the thread that calls `restore` and then `run`; the stores are shared.
final class GlobalStreamThread {
    private let stores: GlobalStores
    private let byTopic: [String: GlobalStore]
    private let consumer: KafkaConsumer
    private let partitions: [TopicPartition]
    private let logger: Logger
    /// Records applied, and records skipped because they had no key.
    private(set) var applied = 0
    private(set) var skipped = 0

    /// - Parameter partitionCounts: the partition count of each global table's topic.
    init(plan: TopologyPlan, client: KafkaConfig, stores: GlobalStores, partitionCounts: [String: Int], logger: Logger) throws {
        self.stores = stores
        byTopic = Dictionary(uniqueKeysWithValues: stores.stores.values.map { ($0.spec.topic, $0) })
        partitions = plan.globalTables.flatMap { spec in (0..<(partitionCounts[spec.topic] ?? 1)).map { TopicPartition(spec.topic, Int32($0)) } }
        self.logger = logger
        consumer = try KafkaConsumer(
            config: ConsumerConfig(client: client, groupID: "\(plan.applicationID)-global", isolation: .readCommitted, offsetReset: .earliest),
            logger: logger)
        try consumer.assign(partitions.map { TopicPartitionOffset($0, offset: nil) })
    }

    /// Reads every global topic up to its current end. Blocks until done or `timeout`.
    /// - Throws: `StreamsError` when the topics cannot be read to their end in time.
    func restore(timeout: Duration = .seconds(300)) throws {
        var ends: [TopicPartition: Int64] = [:]
        for tp in partitions { ends[tp] = try consumer.watermarks(tp, timeout: .seconds(30)).high }
        let deadline = ContinuousClock.now + timeout
        while true {
            let positions = try consumer.positions(partitions)
            let behind = positions.filter { ($0.offset ?? 0) < ends[$0.topicPartition] ?? 0 }
            if behind.isEmpty { break }
            guard ContinuousClock.now < deadline else {
                throw StreamsError(.fatal, "global tables: \(behind.count) partitions not read to their end within \(timeout)")
            }
            try pollOnce(timeout: .milliseconds(100))
        }
        logger.info(
            "global tables restored",
            metadata: ["records": "\(applied)", "tables": "\(stores.stores.keys.sorted())", "keys": "\(stores.stores.values.map(\.count).reduce(0, +))"])
    }

    /// Follows the topics until `stop` is set.
    func run(until stop: borrowing Atomic<Bool>) throws {
        while !stop.load(ordering: .acquiring) { try pollOnce(timeout: .milliseconds(100)) }
        try consumer.close()
    }

    private func pollOnce(timeout: Duration) throws {
        try consumer.poll(maxRecords: 5_000, timeout: timeout) { batch in
            if let fatal = batch.errors.first(where: \.isFatal) { throw StreamsError(.fatal, "global tables: \(fatal.reason)", underlying: fatal) }
            for loss in batch.losses { logger.error("global table input lost before it was read", metadata: ["loss": "\(loss)"]) }
            for i in 0..<batch.count {
                let r = batch[i]
                guard let key = r.key, let store = byTopic[r.topic] else {
                    skipped += 1
                    continue
                }
                store.apply(key: key, value: r.value)
                applied += 1
            }
        }
    }
}
