import SluiceRuntime
import Testing

@Suite("Evicted input is reported, never skipped silently")
struct InputLossTests {
    /// Two partitions lose their committed positions, so one poll may find both lost: each is
    /// reported, and both resume at their earliest offset (restarted in one assignment).
    @Test func aConsumerWhosePositionsWereEvictedReportsEachLossAndReadsTheRest() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("small", partitions: 2)
            let parts = [TopicPartition("small", 0), TopicPartition("small", 1)]
            let config = testConsumer(broker.bootstrapServers, group: "late-reader")
            let first = try KafkaConsumer(config: config)
            try first.subscribe(["small"])
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            for tp in parts { try producer.send(topic: "small", partition: tp.partition, key: nil, value: [0]) }
            try producer.flush(timeout: .seconds(10))
            #expect(try first.drain(count: 2).count == 2)
            try first.commit(parts.map { TopicPartitionOffset($0, offset: 1) })
            try first.close()

            for tp in parts { try producer.overflow("small", partition: tp.partition) }  // evicts offset 1

            let second = try KafkaConsumer(config: config)
            var marks: [TopicPartition: Watermarks] = [:]
            for tp in parts {
                marks[tp] = try second.watermarks(tp, timeout: .seconds(5))
                #expect(marks[tp]!.low > 1, "the embedded broker evicted the committed position of \(tp) (low watermark \(marks[tp]!.low))")
            }
            let expected = marks.values.map { Int($0.high - $0.low) }.reduce(0, +)
            try second.subscribe(["small"])
            var losses: [InputLoss] = []
            var records = 0
            _ = eventually(timeout: .seconds(30)) {
                _ = try? second.poll(maxRecords: 100, timeout: .milliseconds(100)) { batch in
                    losses += batch.losses
                    records += batch.count
                }
                return records >= expected
            }
            #expect(Set(losses.map(\.topicPartition)) == Set(parts) && losses.count == 2, "\(losses)")
            for loss in losses {
                #expect(loss.requestedOffset == 1)
                #expect(loss.resumedAt == marks[loss.topicPartition]?.low)
                #expect(loss.lostRecords == (marks[loss.topicPartition].map { $0.low - 1 }))
            }
            #expect(records == expected, "everything the broker still had is read")
        }
    }
}
