import Foundation
import Sluice
import Synchronization
import Topologies

/// Runs blocking work on a thread of its own, off the two-thread concurrency pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        let t = Thread { c.resume(with: Result { try body() }) }
        t.stackSize = 8 << 20
        t.start()
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}

/// Writes `CleanEvents`' sample input: `count` raw events starting at `from`.
func produceRawEvents(_ range: Range<Int>, bootstrap: String) throws {
    let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)))
    for i in range {
        let (key, value) = SampleEvents.raw.make(i)
        try producer.send(topic: "raw-events", key: key, value: value)
    }
    try producer.flush(timeout: .seconds(30))
}

/// The message ids the sample generator gives valid events, and those it breaks, for `range`.
func expectedIDs(_ range: Range<Int>) -> (valid: Set<String>, invalid: Set<String>) {
    var valid = Set<String>()
    var invalid = Set<String>()
    for i in range {
        let (_, value) = SampleEvents.raw.make(i)
        let id = "m-\(i)"
        let clean = value.flatMap { bytes in bytes.withUnsafeBytes { try? JSONSerde<RawEvent>().deserialize($0) } }
            .flatMap { try? EventCleaning.clean($0) }
        if clean != nil { valid.insert(id) } else { invalid.insert(id) }
    }
    return (valid, invalid)
}

/// Reads every record of `topic` from the beginning until `done` says enough (or `timeout`).
final class TopicReader {
    let consumer: KafkaConsumer
    private(set) var records: [(key: [UInt8]?, value: [UInt8]?, headers: RecordHeaders, partition: Int32)] = []

    init(bootstrap: String, topic: String, partitions: Int, isolation: ConsumerConfig.Isolation = .readUncommitted) throws {
        consumer = try KafkaConsumer(
            config: ConsumerConfig(client: KafkaConfig(bootstrapServers: bootstrap), groupID: "reader-\(UUID())", isolation: isolation))
        try consumer.assign((0..<partitions).map { TopicPartitionOffset(TopicPartition(topic, Int32($0)), offset: nil) })
    }

    /// Polls until `done` holds or `timeout` passes; returns whether `done` held.
    func read(timeout: Duration, until done: ([(key: [UInt8]?, value: [UInt8]?, headers: RecordHeaders, partition: Int32)]) -> Bool) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if done(records) { return true }
            try consumer.poll(maxRecords: 5_000, timeout: .milliseconds(200)) { batch in
                for i in 0..<batch.count {
                    let r = batch[i]
                    records.append((r.key.map(Array.init), r.value.map(Array.init), r.headers, r.partition))
                }
            }
        }
        return done(records)
    }
}

/// The `eventID`s found in `events` records.
func eventIDs(_ records: [(key: [UInt8]?, value: [UInt8]?, headers: RecordHeaders, partition: Int32)]) -> [String] {
    records.compactMap { r in r.value.flatMap { v in v.withUnsafeBytes { try? JSONSerde<CleanEvent>().deserialize($0) } }?.eventID }
}
