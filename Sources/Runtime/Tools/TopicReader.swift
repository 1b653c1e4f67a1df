import Foundation

/// Reads a topic from its start to its current end, outside any consumer group's offsets: for the
/// command line (`sluice nexmark dump`, dead-letter reasons) and the bench's output checks.
public enum TopicReader {
    /// Hands every record's value (`null` for a tombstone) to `body`.
    public static func read(_ topic: String, bootstrap: String, _ body: ([UInt8]) throws -> Void) throws {
        try records(topic, bootstrap: bootstrap) { record in try body(record.value.map { Array($0) } ?? Array("null".utf8)) }
    }

    /// Hands every record of `topic`, from its start to its current end, to `body`.
    public static func records(_ topic: String, bootstrap: String, _ body: (ConsumedRecord) throws -> Void) throws {
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
        var remaining = try admin.watermarks(topic).filter { $0.value.high > $0.value.low }
        guard !remaining.isEmpty else { return }
        let consumer = try KafkaConsumer(config: ConsumerConfig(
            client: KafkaConfig(bootstrapServers: bootstrap), groupID: "sluice-dump", offsetReset: .earliest))
        try consumer.assign(remaining.map { TopicPartitionOffset(TopicPartition(topic, $0.key), offset: $0.value.low) })
        var lastRecord = ContinuousClock.now
        while !remaining.isEmpty {
            guard ContinuousClock.now - lastRecord < .seconds(30) else {
                throw TopicReaderStalled(topic: topic, partitions: remaining.keys.sorted())
            }
            try consumer.poll(maxRecords: 10_000, timeout: .milliseconds(500)) { batch in
                if batch.count > 0 { lastRecord = .now }
                for loss in batch.losses { FileHandle.standardError.write(Data("sluice: \(loss)\n".utf8)) }
                for i in 0..<batch.count {
                    let record = batch[i]
                    guard let end = remaining[record.partition]?.high else { continue }
                    try body(record)
                    if record.offset + 1 >= end { remaining[record.partition] = nil }
                }
            }
        }
        try consumer.close()
    }
}

/// Nothing more came from these partitions for 30 s before their end.
public struct TopicReaderStalled: Error, CustomStringConvertible {
    public let topic: String
    public let partitions: [Int32]
    public var description: String { "\(topic): partitions \(partitions) stopped short of their end" }
}
