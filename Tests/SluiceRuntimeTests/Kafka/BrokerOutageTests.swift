import Foundation
import SluiceRuntime
import Testing

@Suite("A broker taken down and brought back")
struct BrokerOutageTests {
    @Test func producerAndConsumerRecoverAndNothingIsLost() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("outage", partitions: 2)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "outage"))
            try consumer.subscribe(["outage"])
            for i in 0..<100 { try producer.send(topic: "outage", key: Array("k\(i % 7)".utf8), value: Array("\(i)".utf8)) }
            try producer.flush(timeout: .seconds(10))
            var seen = try consumer.drain(count: 100)
            #expect(seen.count == 100)

            try broker.setBrokerDown(1)
            for i in 100..<200 { try producer.send(topic: "outage", key: Array("k\(i % 7)".utf8), value: Array("\(i)".utf8)) }
            #expect(throws: KafkaError.self, "nothing can be acknowledged while the broker is down") {
                try producer.flush(timeout: .seconds(1))
            }
            var errorsDuringOutage: [KafkaError] = []
            for _ in 0..<10 {
                try consumer.poll(maxRecords: 100, timeout: .milliseconds(200)) { batch in
                    errorsDuringOutage += batch.errors
                    #expect(batch.count == 0)
                }
            }
            try broker.setBrokerUp(1)
            try producer.flush(timeout: .seconds(30))
            // A consumer whose group rebalanced during the outage reads again from its committed
            // position (at-least-once): a redelivery repeats an offset, a producer duplicate would not.
            // So the log is judged by distinct offsets, and redeliveries are only counted.
            var log: [TopicPartitionOffset: Received] = [:]
            for r in seen { log[TopicPartitionOffset(TopicPartition(r.topic, r.partition), offset: r.offset)] = r }
            let deadline = ContinuousClock.now + .seconds(30)
            while log.count < 200, ContinuousClock.now < deadline {
                for r in try consumer.drain(count: 1, timeout: .milliseconds(500)) {
                    seen.append(r)
                    log[TopicPartitionOffset(TopicPartition(r.topic, r.partition), offset: r.offset)] = r
                }
            }
            let inLogOrder = log.values.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
            let values = inLogOrder.compactMap(\.valueString).compactMap(Int.init)
            #expect(values.count == 200, "every record is in the log once")
            #expect(Set(values) == Set(0..<200), "none is lost")
            // Per key, order is kept across the outage (idempotent producer: no reordering on retry).
            for k in 0..<7 {
                let ordered = inLogOrder.filter { $0.keyString == "k\(k)" }.compactMap(\.valueString).compactMap(Int.init)
                #expect(ordered == ordered.sorted(), "key k\(k) in order")
            }
            print("records redelivered to the consumer after a rebalance during the outage: \(seen.count - log.count)")
            print("consumer errors reported during the outage: \(errorsDuringOutage.count) (\(errorsDuringOutage.first.map { "\($0)" } ?? "none"))")
        }
    }
}
