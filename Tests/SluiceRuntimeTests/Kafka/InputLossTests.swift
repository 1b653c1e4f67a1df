import SluiceRuntime
import Testing

@Suite("Evicted input is reported, never skipped silently")
struct InputLossTests {
    @Test func aConsumerWhosePositionWasEvictedReportsTheLoss() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("small", partitions: 1)
            let tp = TopicPartition("small", 0)
            let config = testConsumer(broker.bootstrapServers, group: "late-reader")
            let first = try KafkaConsumer(config: config)
            try first.subscribe(["small"])
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            try producer.send(topic: "small", partition: 0, key: nil, value: [0])
            try producer.flush(timeout: .seconds(10))
            #expect(try first.drain(count: 1).count == 1)
            try first.commit([TopicPartitionOffset(tp, offset: 1)])
            try first.close()

            // The mock keeps about 5 MiB per partition: 8 MiB more evicts offset 1.
            let value = [UInt8](repeating: 7, count: 64 * 1024)
            for _ in 0..<128 { try producer.send(topic: "small", partition: 0, key: nil, value: value) }
            try producer.flush(timeout: .seconds(30))

            let second = try KafkaConsumer(config: config)
            let marks = try second.watermarks(tp, timeout: .seconds(5))
            #expect(marks.low > 1, "the embedded broker evicted the committed position (low watermark \(marks.low))")
            try second.subscribe(["small"])
            var losses: [InputLoss] = []
            var records = 0
            _ = eventually(timeout: .seconds(30)) {
                _ = try? second.poll(maxRecords: 100, timeout: .milliseconds(100)) { batch in
                    losses += batch.losses
                    records += batch.count
                }
                return records >= Int(marks.high - marks.low)
            }
            #expect(losses.count == 1, "\(losses)")
            #expect(losses.first?.requestedOffset == 1)
            #expect(losses.first?.resumedAt == marks.low)
            #expect(losses.first?.lostRecords == marks.low - 1)
            #expect(records == Int(marks.high - marks.low), "everything the broker still had is read")
        }
    }
}
