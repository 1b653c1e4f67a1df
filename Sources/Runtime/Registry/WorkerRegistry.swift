import Foundation
public import Logging

/// The workers of an application, as their heartbeats on `<applicationID>-workers` tell.
///
/// ```swift
/// let live = try WorkerRegistry.liveWorkers(of: "clean-events", config: KafkaConfig(bootstrapServers: brokers))
/// for w in live { print(w.instanceID, w.url ?? "-", w.tasks) }
/// ```
/// - Important: blocking (it reads a topic): call it from a thread of its own.
public enum WorkerRegistry {
    /// The registry topic of `applicationID`: compacted, one partition.
    public static func topic(for applicationID: String) -> String { "\(applicationID)-workers" }

    /// The topic as the worker creates it before it starts (see `TopicPreparation`).
    static func newTopic(for applicationID: String) -> NewTopic {
        NewTopic(
            topic(for: applicationID), partitions: 1,
            configs: ["cleanup.policy": "compact", "segment.ms": "3600000", "min.cleanable.dirty.ratio": "0.1"])
    }

    /// Live workers carry a heartbeat at least every few seconds, so their latest records are among
    /// the last few thousand however many workers come and go; older records are not read. On Kafka
    /// compaction keeps the topic small; the embedded broker keeps all until it evicts (DESIGN.md §4).
    static let tailRecords: Int64 = 10_000

    /// Every worker whose newest heartbeat is live (younger than three of its intervals) and that
    /// has not said it left, sorted by instance id. An application without a registry topic yet has none.
    /// - Throws: `KafkaError` when the cluster cannot be read.
    public static func liveWorkers(
        of applicationID: String, config: KafkaConfig, now: Int64? = nil, logger: Logger = .disabled
    ) throws(KafkaError) -> [WorkerHeartbeat] {
        let now = now ?? epochMillis()
        return try latestHeartbeats(of: applicationID, config: config, logger: logger).filter { $0.isLive(at: now) }
    }

    /// The newest heartbeat of every worker that has not said it left, live or not.
    public static func latestHeartbeats(
        of applicationID: String, config: KafkaConfig, logger: Logger = .disabled
    ) throws(KafkaError) -> [WorkerHeartbeat] {
        let consumer = try KafkaConsumer(
            config: ConsumerConfig(
                client: config, groupID: "_sluice-registry-\(UUID().uuidString)", isolation: .readCommitted,
                offsetReset: .earliest),
            logger: logger)
        defer { try? consumer.close() }
        let tp = TopicPartition(topic(for: applicationID), 0)
        // Ask the full topic list first: a request naming a missing topic would make a broker with
        // auto-creation (the embedded one) create it, with the wrong partition count.
        guard try consumer.client.topicMetadata(timeout: config.requestTimeout).contains(where: { $0.name == tp.topic }) else {
            return []  // no worker of this application ever started here.
        }
        let marks = try consumer.watermarks(tp, timeout: config.requestTimeout)
        guard marks.high > marks.low else { return [] }
        try consumer.assign([TopicPartitionOffset(tp, offset: max(marks.low, marks.high - tailRecords))])
        var latest: [String: WorkerHeartbeat?] = [:]
        var next = max(marks.low, marks.high - tailRecords)
        let deadline = ContinuousClock.now + config.requestTimeout
        let decoder = JSONDecoder()
        while next < marks.high {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(.timedOut, reason: "reading \(tp) stopped at offset \(next) of \(marks.high)", isRetriable: true)
            }
            do {
                try consumer.poll(maxRecords: 5_000, timeout: .milliseconds(200)) { batch in
                    for i in 0..<batch.count {
                        let r = batch[i]
                        next = max(next, r.offset + 1)
                        guard let key = r.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                        guard let value = r.value, value.count > 0 else {
                            latest[key] = .some(nil)  // it left.
                            continue
                        }
                        if let beat = try? decoder.decode(WorkerHeartbeat.self, from: Data(value)) { latest[key] = beat }
                    }
                }
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(.consumer, reason: "\(error)")
            }
        }
        return latest.values.compactMap { $0 }.sorted { $0.instanceID < $1.instanceID }
    }
}
