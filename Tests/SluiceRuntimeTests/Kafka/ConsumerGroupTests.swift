import Synchronization
import SluiceRuntime
import Testing

/// Records what a consumer's rebalance listener hears.
final class AssignmentLog: RebalanceListener {
    private(set) var owned: Set<TopicPartition> = []
    private(set) var events: [String] = []

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        owned.formUnion(partitions)
        events.append("assigned \(partitions.sorted())")
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        owned.subtract(partitions)
        events.append("revoked \(partitions.sorted())")
    }
}

@Suite("Consumer groups on the embedded broker")
struct ConsumerGroupTests {
    @Test func twoMembersSplitFourPartitionsAndOneTakesAllWhenTheOtherLeaves() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 4)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            for i in 0..<400 { try producer.send(topic: "events", key: Array("user-\(i)".utf8), value: Array("\(i)".utf8)) }
            try producer.flush(timeout: .seconds(10))

            let config = testConsumer(broker.bootstrapServers, group: "split")
            let a = try KafkaConsumer(config: config)
            let b = try KafkaConsumer(config: config)
            let logA = AssignmentLog()
            let logB = AssignmentLog()
            a.rebalanceListener = logA
            b.rebalanceListener = logB
            try a.subscribe(["events"])
            try b.subscribe(["events"])

            var seenA: [Received] = []
            var seenB: [Received] = []
            let split = eventually(timeout: .seconds(40)) {
                seenA += (try? a.drain(count: 1, timeout: .milliseconds(100))) ?? []
                seenB += (try? b.drain(count: 1, timeout: .milliseconds(100))) ?? []
                return logA.owned.count == 2 && logB.owned.count == 2
            }
            #expect(split, "A owns \(logA.owned.sorted()), B owns \(logB.owned.sorted())")
            #expect(logA.owned.isDisjoint(with: logB.owned))
            #expect(logA.owned.union(logB.owned).count == 4)

            try b.close()
            #expect(logB.owned.isEmpty, "closing revokes B's partitions: \(logB.events)")
            let rebalanced = eventually(timeout: .seconds(40)) {
                seenA += (try? a.drain(count: 1, timeout: .milliseconds(100))) ?? []
                return logA.owned.count == 4
            }
            #expect(rebalanced, "A owns \(logA.owned.sorted()) after B left; events: \(logA.events)")
            // Nothing was committed, so A reads every record of the partitions it took over.
            seenA += try a.drain(count: 400, timeout: .seconds(10))
            let values = Set(seenA.compactMap(\.valueString))
            #expect(values.count == 400, "A sees all 400 records once it owns all partitions")
        }
    }

    @Test func committedOffsetsAreWhereAnewMemberStarts() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("log", partitions: 1)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            for i in 0..<10 { try producer.send(topic: "log", partition: 0, key: nil, value: Array("\(i)".utf8)) }
            try producer.flush(timeout: .seconds(10))
            let tp = TopicPartition("log", 0)
            let config = testConsumer(broker.bootstrapServers, group: "resume")
            do {
                let first = try KafkaConsumer(config: config)
                try first.subscribe(["log"])
                let got = try first.drain(count: 10)
                #expect(got.count == 10)
                try first.commit([TopicPartitionOffset(tp, offset: 6)])
                #expect(try first.committed([tp], timeout: .seconds(5)) == [TopicPartitionOffset(tp, offset: 6)])
                #expect(try first.positions([tp]) == [TopicPartitionOffset(tp, offset: 10)])
                let marks = try first.watermarks(tp, timeout: .seconds(5))
                #expect(marks == Watermarks(low: 0, high: 10))
                try first.close()
            }
            let second = try KafkaConsumer(config: config)
            try second.subscribe(["log"])
            let rest = try second.drain(count: 4)
            #expect(rest.map(\.offset) == [6, 7, 8, 9], "a new member resumes at the committed offset")
        }
    }

    @Test func seekPauseAndResume() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("two", partitions: 2)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            for p in 0..<2 {
                for i in 0..<5 { try producer.send(topic: "two", partition: Int32(p), key: nil, value: Array("\(p)-\(i)".utf8)) }
            }
            try producer.flush(timeout: .seconds(10))
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "seek"))
            let p0 = TopicPartition("two", 0)
            let p1 = TopicPartition("two", 1)
            try consumer.assign([TopicPartitionOffset(p0, offset: nil), TopicPartitionOffset(p1, offset: nil)])
            try consumer.pause([p1])
            let first = try consumer.drain(count: 5, timeout: .seconds(5))
            #expect(first.allSatisfy { $0.partition == 0 } && first.count == 5, "a paused partition is not fetched")
            try consumer.resume([p1])
            let second = try consumer.drain(count: 5, timeout: .seconds(10))
            #expect(second.allSatisfy { $0.partition == 1 } && second.count == 5)
            // The fetcher thread confirms a seek; with the whole suite's brokers on two cores it
            // once took over 5 s. The timeout bounds a hang, it measures nothing.
            try consumer.seek([TopicPartitionOffset(p0, offset: 3)], timeout: .seconds(30))
            let again = try consumer.drain(count: 2, timeout: .seconds(10))
            #expect(again.map(\.valueString) == ["0-3", "0-4"])
        }
    }

    /// What the restorer does as tasks begin and finish: partitions join and leave one at a time,
    /// back to back, while the rest go on from where they are.
    @Test func incrementalChangesLeaveTheOtherPartitionsWhereTheyAre() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("three", partitions: 3)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            func produce(_ range: Range<Int>) throws {
                for p in 0..<3 {
                    for i in range { try producer.send(topic: "three", partition: Int32(p), key: nil, value: Array("\(p)-\(i)".utf8)) }
                }
                try producer.flush(timeout: .seconds(10))
            }
            try produce(0..<3)
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "incremental"))
            let parts = (0..<3).map { TopicPartition("three", Int32($0)) }
            for tp in parts { try consumer.incrementalAssign([TopicPartitionOffset(tp, offset: nil)]) }
            let first = try consumer.drain(count: 9, timeout: .seconds(10))
            #expect(Set(first.compactMap(\.valueString)).count == 9, "each partition read from its start: \(first.compactMap(\.valueString))")

            try consumer.incrementalUnassign([parts[0]])
            try consumer.incrementalUnassign([parts[1]])
            #expect(try consumer.assignment() == [parts[2]])
            try produce(3..<5)
            let second = try consumer.drain(count: 2, timeout: .seconds(10))
            #expect(second.compactMap(\.valueString) == ["2-3", "2-4"], "only the partition left, from where it was")
            #expect(try consumer.drain(count: 1, timeout: .seconds(1)).isEmpty, "nothing of the partitions that left")
        }
    }
}
