import SluiceRuntime
import SluiceTopology
import Testing

@Suite("Produce and consume on the embedded broker")
struct RoundTripTests {
    @Test func keysHeadersAndTimestampsSurviveTheRoundTrip() async throws {
        let received = try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("round-trip", partitions: 1)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            var headers = RecordHeaders()
            headers.append("a", "1")
            headers.append("empty", [])
            headers.append("null", nil)
            headers.append("a", "2")
            try producer.send(
                topic: "round-trip", key: Array("k1".utf8), value: Array("v1".utf8), headers: headers,
                timestamp: 1_600_000_000_123)
            try producer.send(topic: "round-trip", key: nil, value: Array("null key".utf8), timestamp: 1_600_000_000_124)
            try producer.send(topic: "round-trip", key: [], value: nil, timestamp: 1_600_000_000_125)
            try producer.send(topic: "round-trip", key: [0, 255, 7], value: [], timestamp: 1_600_000_000_126)
            try producer.flush(timeout: .seconds(10))

            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "g"))
            try consumer.assign([TopicPartitionOffset(TopicPartition("round-trip", 0), offset: nil)])
            return try consumer.drain(count: 4)
        }
        try #require(received.count == 4)
        #expect(received.map(\.offset) == [0, 1, 2, 3])

        #expect(received[0].keyString == "k1")
        #expect(received[0].valueString == "v1")
        #expect(received[0].timestamp == 1_600_000_000_123)
        #expect(received[0].headers.elements.map(\.name) == ["a", "empty", "null", "a"])
        #expect(received[0].headers.string("a") == "2")
        #expect(received[0].headers.elements[1].value == [])
        #expect(received[0].headers.elements[2].value == nil)

        #expect(received[1].key == nil, "a null key stays null")
        #expect(received[1].headers.isEmpty)
        #expect(received[2].key == [], "an empty key is not a null key")
        #expect(received[2].value == nil, "a tombstone keeps its null value")
        #expect(received[3].key == [0, 255, 7])
        #expect(received[3].value == [], "an empty value is not a tombstone")
        #expect(received.map(\.timestamp) == [1_600_000_000_123, 1_600_000_000_124, 1_600_000_000_125, 1_600_000_000_126])
    }
}
