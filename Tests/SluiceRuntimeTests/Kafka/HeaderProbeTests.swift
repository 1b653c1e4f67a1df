@testable import SluiceRuntime
import SluiceTopology
import Testing

@Suite("Telling a consumed record has no headers without librdkafka's parse")
struct HeaderProbeTests {
    /// Every record consumed, in order: whether the probe said "none", librdkafka's own count
    /// (asked after the probe: asking parses), and the headers as copied through the probe.
    struct Seen: Sendable {
        var probeSaidNone: Bool
        var librdkafkaCount: Int
        var headers: RecordHeaders
    }

    static let sent: [RecordHeaders] = [
        RecordHeaders(), ["a": "1"], RecordHeaders(), ["trace": "x", "tenant": "y"], RecordHeaders(),
        RecordHeaders([.init(name: "empty", value: []), .init(name: "null", value: nil)]), RecordHeaders(), RecordHeaders(),
    ]

    @Test(arguments: ["none", "lz4"])
    func probeSaysNoneExactlyForRecordsWithoutHeaders(compression: String) async throws {
        let seen = try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("probe", partitions: 1)
            var client = testClient(broker.bootstrapServers)
            client.properties["compression.type"] = compression
            let producer = try KafkaProducer(config: ProducerConfig(client: client))
            for (i, headers) in Self.sent.enumerated() {
                try producer.send(topic: "probe", key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), headers: headers)
            }
            try producer.flush(timeout: .seconds(10))
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "g"))
            try consumer.assign([TopicPartitionOffset(TopicPartition("probe", 0), offset: nil)])
            var seen: [Seen] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while seen.count < Self.sent.count, ContinuousClock.now < deadline {
                try consumer.poll(maxRecords: 100, timeout: .milliseconds(100)) { batch in
                    for i in 0..<batch.count {
                        let r = batch[i]
                        let none = HeaderProbe.certainlyNone(r.message)
                        seen.append(Seen(probeSaidNone: none, librdkafkaCount: HeaderProbe.librdkafkaCount(r.message), headers: r.headers))
                    }
                }
            }
            return seen
        }
        try #require(seen.count == Self.sent.count)
        if HeaderProbe.isOn {
            #expect(seen.map(\.probeSaidNone) == Self.sent.map(\.isEmpty), "the probe answers 'none' for exactly the records sent without headers")
        } else {
            print("HeaderProbeTests: this librdkafka is not 2.0.2, so the probe is off and only librdkafka is asked; its layout is not checked here")
            #expect(seen.allSatisfy { !$0.probeSaidNone })
        }
        #expect(seen.map(\.librdkafkaCount) == Self.sent.map(\.count))
        #expect(seen.map(\.headers.elements) == Self.sent.map(\.elements), "headers copied through the probe are the headers sent")
    }
}
