import Foundation
import Logging

/// Empties changelogs where topics cannot be deleted (the embedded broker): every key a changelog
/// partition holds gets a tombstone in that partition, so a restore from it builds empty stores.
///
/// Written for `ApplicationReset`; on Kafka the changelogs are deleted instead.
struct ChangelogTombstones {
    let config: KafkaConfig
    let logger: Logger

    /// Writes the tombstones; returns how many, per partition.
    func write(_ partitions: [TopicPartition], progress: (String) -> Void) throws -> [TopicPartition: Int] {
        guard !partitions.isEmpty else { return [:] }
        let keys = try readKeys(partitions)
        let producer = try KafkaProducer(config: ProducerConfig(client: config), logger: logger)
        var written: [TopicPartition: Int] = [:]
        for (tp, set) in keys.sorted(by: { $0.key < $1.key }) where !set.isEmpty {
            progress("writing \(set.count) tombstones to \(tp)")
            let topic = try producer.topic(tp.topic)
            for key in set {
                try key.withUnsafeBytes { k in try producer.send(to: topic, partition: tp.partition, key: k, value: nil) }
            }
            written[tp] = set.count
        }
        try producer.flush(timeout: .seconds(60))
        return written
    }

    /// The keys of every partition, from its first record to its end as it is now.
    private func readKeys(_ partitions: [TopicPartition]) throws -> [TopicPartition: Set<[UInt8]>] {
        let consumer = try KafkaConsumer(
            config: ConsumerConfig(client: config, groupID: "sluice-reset-\(UUID())", offsetReset: .earliest), logger: logger)
        defer { try? consumer.close() }
        var ends: [TopicPartition: Int64] = [:]
        var start: [TopicPartitionOffset] = []
        for tp in partitions {
            let marks = try consumer.watermarks(tp, timeout: .seconds(30))
            if marks.high > marks.low {
                ends[tp] = marks.high
                start.append(TopicPartitionOffset(tp, offset: marks.low))
            }
        }
        var keys: [TopicPartition: Set<[UInt8]>] = [:]
        guard !start.isEmpty else { return keys }
        try consumer.assign(start)
        var remaining = Set(ends.keys)
        let deadline = ContinuousClock.now + .seconds(120)
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(.timedOut, reason: "reading changelogs \(remaining.sorted()) to their end took over 120 s")
            }
            try consumer.poll(maxRecords: 10_000, timeout: .milliseconds(200)) { batch in
                for i in 0..<batch.count {
                    let r = batch[i]
                    let tp = TopicPartition(r.topic, r.partition)
                    guard let end = ends[tp], r.offset < end else { continue }
                    if let key = r.key { keys[tp, default: []].insert(Array(key)) }
                }
            }
            // Positions, not the last record seen: a transaction marker may take the last offset.
            for p in try consumer.positions(Array(remaining)) {
                if let offset = p.offset, offset >= ends[p.topicPartition]! { remaining.remove(p.topicPartition) }
            }
        }
        return keys
    }
}
