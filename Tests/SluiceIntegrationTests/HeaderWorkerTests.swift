import Foundation
import Sluice
import Testing
import Topologies

/// Headers travel with their records: a stream thread reads a record's headers only when a sink
/// or the dead-letter topic asks for them (`HeaderLender`), so these tests pin what arrives.
@Suite("Record headers through a worker")
struct HeaderWorkerTests {
    /// The headers the test gives input record `i` (its offset: the topic has one partition).
    /// Every third record has none; the others have a repeated name and a null value.
    static func headers(_ i: Int) -> RecordHeaders {
        var h = RecordHeaders()
        guard i % 3 != 0 else { return h }
        h.append("trace", "t-\(i)")
        h.append("null", nil)
        h.append("trace", "t-\(i)-again")
        return h
    }

    @Test func outputsCarryTheirInputsHeadersAndDeadLettersAddTheirOwn() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("raw-events", partitions: 1)
            let range = 0..<600
            let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: broker.bootstrapServers)))
            for i in range {
                let (key, value) = SampleEvents.raw.make(i)
                try producer.send(topic: "raw-events", partition: 0, key: key, value: value, headers: Self.headers(i))
            }
            try producer.flush(timeout: .seconds(30))
            let expected = expectedIDs(range)

            let worker = try Worker(plan: CleanEvents.plan(), config: WorkerConfig(batchSize: 100, commitInterval: .milliseconds(50)))
            try worker.start(embedded: broker)
            let output = try TopicReader(bootstrap: broker.bootstrapServers, topic: "events", partitions: 4)
            #expect(try output.read(timeout: .seconds(60)) { Set(eventIDs($0)).isSuperset(of: expected.valid) })
            let dlq = try TopicReader(bootstrap: broker.bootstrapServers, topic: "clean-events-dlq", partitions: 4)
            _ = try dlq.read(timeout: .seconds(20)) { $0.count >= expected.invalid.count }
            try worker.stop()

            var checked = 0
            for r in output.records {
                let event = try #require(r.value.flatMap { v in v.withUnsafeBytes { try? JSONSerde<CleanEvent>().deserialize($0) } })
                let i = try #require(Int(event.eventID.dropFirst(2)))
                #expect(r.headers == Self.headers(i), "event \(i)")
                checked += 1
            }
            #expect(checked >= expected.valid.count)
            #expect(dlq.records.count >= expected.invalid.count)
            for r in dlq.records {
                let i = try #require(r.headers.string(DeadLetterHeaders.offset).flatMap(Int.init))
                let own = r.headers.elements.filter { !$0.name.hasPrefix("sluice.") }
                #expect(RecordHeaders(own) == Self.headers(i), "dead letter \(i)")
                #expect(r.headers.elements.prefix(own.count).elementsEqual(own), "the input's headers come first")
                #expect(r.headers.string(DeadLetterHeaders.error) != nil)
            }
        }
    }
}
