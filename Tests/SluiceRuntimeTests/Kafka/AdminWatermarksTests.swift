import SluiceRuntime
import Testing

@Suite("A topic's watermarks, asked for all its partitions at once")
struct AdminWatermarksTests {
    /// One partition has lost its oldest records to the embedded broker's limit, one holds a few,
    /// one none: the batched answer is what each partition reports on its own.
    @Test func aTopicsWatermarksAreEachPartitionsOwn() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("marks", partitions: 3)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            try producer.overflow("marks", partition: 0)
            for _ in 0..<3 { try producer.send(topic: "marks", partition: 1, key: nil, value: [1]) }
            try producer.flush(timeout: .seconds(10))

            let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: broker.bootstrapServers))
            let batched = try admin.watermarks("marks")
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "marks-reader"))
            #expect(batched.count == 3)
            for p in Int32(0)..<3 {
                let own = try consumer.watermarks(TopicPartition("marks", p), timeout: .seconds(5))
                #expect(batched[p] == own, "partition \(p)")
            }
            #expect(batched[0].map { $0.low > 0 && $0.high == 128 } == true, "the evicted partition: \(String(describing: batched[0]))")
            #expect(batched[1] == Watermarks(low: 0, high: 3))
            #expect(batched[2] == Watermarks(low: 0, high: 0))
        }
    }
}
