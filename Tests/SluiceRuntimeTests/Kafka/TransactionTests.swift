import SluiceRuntime
import Testing

@Suite("Transactions on the embedded broker")
struct TransactionTests {
    @Test func commitAndAbortComplete() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("in", partitions: 1)
            try broker.createTopic("out", partitions: 1)
            let bootstrap = broker.bootstrapServers
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(bootstrap), transactionalID: "tx-1"))
            try producer.initTransactions(timeout: .seconds(10))

            let consumer = try KafkaConsumer(config: testConsumer(bootstrap, group: "tx-group"))
            try consumer.subscribe(["in"])
            _ = eventually {  // join the group: the metadata must carry a generation
                _ = try? consumer.poll(maxRecords: 1, timeout: .milliseconds(100)) { _ in }
                return (try? consumer.assignment().isEmpty) == false
            }
            let metadata = try consumer.groupMetadata()

            try producer.beginTransaction()
            for i in 0..<10 { try producer.send(topic: "out", key: nil, value: Array("committed-\(i)".utf8)) }
            try producer.sendOffsetsToTransaction(
                [TopicPartitionOffset(TopicPartition("in", 0), offset: 0)], groupMetadata: metadata, timeout: .seconds(10))
            try producer.commitTransaction(timeout: .seconds(10))

            try producer.beginTransaction()
            for i in 0..<10 { try producer.send(topic: "out", key: nil, value: Array("aborted-\(i)".utf8)) }
            try producer.flush(timeout: .seconds(10))  // on the broker before the abort, as in a crash
            try producer.abortTransaction(timeout: .seconds(10))

            try producer.beginTransaction()
            try producer.send(topic: "out", key: nil, value: Array("after-abort".utf8))
            try producer.commitTransaction(timeout: .seconds(10))

            let reader = try KafkaConsumer(config: testConsumer(bootstrap, group: "reader"))
            try reader.assign([TopicPartitionOffset(TopicPartition("out", 0), offset: nil)])
            var seen: [String] = []
            _ = eventually(timeout: .seconds(15)) {
                seen += ((try? reader.drain(count: 1, timeout: .milliseconds(100))) ?? []).compactMap(\.valueString)
                return seen.contains("after-abort")
            }
            #expect(seen.filter { $0.hasPrefix("committed-") }.count == 10)
            #expect(seen.contains("after-abort"), "a producer goes on after an abort")
            let aborted = seen.filter { $0.hasPrefix("aborted-") }.count
            // librdkafka 2.0.2's mock does not filter aborted records for read_committed (DESIGN.md §4):
            // this test proves the calls complete; it cannot prove isolation.
            print("embedded broker limit: read_committed consumer saw \(aborted) of 10 aborted records (real Kafka: 0)")
        }
    }

    @Test func aFencedProducerGetsAFatalFencedError() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("fence", partitions: 1)
            let config = ProducerConfig(client: testClient(broker.bootstrapServers), transactionalID: "zombie")
            let old = try KafkaProducer(config: config)
            try old.initTransactions(timeout: .seconds(10))
            try old.beginTransaction()
            try old.send(topic: "fence", key: nil, value: Array("old".utf8))

            let new = try KafkaProducer(config: config)
            try new.initTransactions(timeout: .seconds(10))
            // librdkafka 2.0.2's mock gives the second producer a new producer id instead of bumping
            // the epoch of the first, so it never fences the first by itself. Say so, then make the
            // coordinator answer as Kafka would, to prove the error reaches us classified.
            do {
                try old.flush(timeout: .seconds(5))
                broker.pushRequestErrors(.endTxn, [KafkaError.rdKafkaCode(named: "PRODUCER_FENCED")!])
            }
            print("embedded broker limit: a second producer with transactional.id 'zombie' does not fence the first; PRODUCER_FENCED is injected")
            let error = #expect(throws: KafkaError.self) { try old.commitTransaction(timeout: .seconds(10)) }
            #expect(error?.isFatal == true, "\(String(describing: error))")
            #expect(error?.code == .fenced, "\(String(describing: error))")

            try new.beginTransaction()
            try new.send(topic: "fence", key: nil, value: Array("new".utf8))
            try new.commitTransaction(timeout: .seconds(10))
        }
    }
}
