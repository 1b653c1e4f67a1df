import Foundation
import Sluice
import Testing

/// Event time through a repartition topic on the embedded broker, with writers far apart.
@Suite("Watermarks on the embedded broker")
struct WatermarkWorkerTests {
    static let base: Int64 = 1_700_000_000_000  // a multiple of the window size
    static let events = 8_000
    static let partitions = 4
    static let keys = 50

    /// Each partition holds its own quarter of the events' time (200 s, partition 0 the last), so
    /// the repartition topic interleaves writers minutes apart however the worker reads them.
    /// Per-task stream time would make the earlier quarters late wherever a later one came first;
    /// with watermarks none is, and a window closes once every writer has passed it: partition
    /// 3's writer ends at 199.9 s, so exactly the 19 windows before it close, each with 2 records
    /// of every key.
    @Test func windowsCloseWhenEveryWriterPassedThemAndNothingIsLate() throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("timed", partitions: Self.partitions)
        let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: broker.bootstrapServers)))
        for i in 0..<Self.events {
            try producer.send(
                topic: "timed", partition: Int32(Self.partitions - 1 - i * Self.partitions / Self.events), key: Array("k-\(i % Self.keys)".utf8),
                value: Array("v".utf8), timestamp: Self.base + Int64(i) * 100)
        }
        try producer.flush(timeout: .seconds(30))

        let plan = try TopologyPlan(applicationID: "watermarks", pipelines: [
            Stream("timed", key: .string, value: .string, named: "timed-source")
                .repartition(named: "by-key")
                .groupByKey().windowedBy(.tumbling(.seconds(10))).count(named: "counts")
                .suppress(.untilWindowCloses, named: "final").toStream()
                .to("window-counts", key: .windowed(.string), value: .int64)
        ])
        let worker = try Worker(plan: plan, config: WorkerConfig(brokers: broker.bootstrapServers, stateDirectory: temporaryStateDirectory()))
        try worker.start(embedded: broker)
        let reader = try TopicReader(bootstrap: broker.bootstrapServers, topic: "window-counts", partitions: Self.partitions)
        let closed = 19 * Self.keys
        let complete = try reader.read(timeout: .seconds(90)) { $0.count >= closed }
        // Long enough for further watermarks (every second) to close windows they must not.
        Thread.sleep(forTimeInterval: 3)
        _ = try reader.read(timeout: .milliseconds(500)) { _ in false }
        try worker.stop()

        #expect(complete, "\(reader.records.count) of \(closed) windows closed")
        let deadLettered = worker.snapshot.counts.values.reduce(0) { $0 + $1.deadLettered }
        #expect(deadLettered == 0)
        let serde = WindowedSerde(StringSerde())
        var counts: [Windowed<String>: Int64] = [:]
        for r in reader.records {
            guard let k = r.key, let v = r.value, v.count == 8 else { continue }
            let key = try k.withUnsafeBytes { try serde.deserialize($0) }
            counts[key] = v.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
        }
        #expect(reader.records.count == closed, "each closed window once, and none other")
        #expect(counts.count == closed)
        #expect(counts.values.allSatisfy { $0 == 2 }, "every record counted in its window")
        #expect(counts.keys.allSatisfy { $0.window.end <= Self.base + 190_000 })
    }
}
