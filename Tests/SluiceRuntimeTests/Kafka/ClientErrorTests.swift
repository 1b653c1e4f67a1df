import SluiceRuntime
import Testing

@Suite("Clear errors, never a crash or a hang")
struct ClientErrorTests {
    @Test func anUnknownPropertyIsAConfigurationError() {
        let config = ProducerConfig(client: KafkaConfig(properties: ["no.such.property": "1"]))
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(config: config) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("no.such.property") == true, "\(String(describing: error))")
    }

    @Test func anInvalidValueIsAConfigurationError() {
        let config = ConsumerConfig(client: KafkaConfig(properties: ["fetch.wait.max.ms": "soon"]), groupID: "g")
        let error = #expect(throws: KafkaError.self) { try KafkaConsumer(config: config) }
        #expect(error?.code == .configuration)
    }

    @Test func anUnreachableBootstrapFailsWithinItsTimeout() async throws {
        try await blocking {
            // Port 1 on loopback: nothing listens there.
            let client = KafkaConfig(bootstrapServers: "127.0.0.1:1", requestTimeout: .seconds(2))
            let started = ContinuousClock.now
            let error = #expect(throws: KafkaError.self) { try KafkaAdmin.connect(client) }
            #expect(error?.code == .timedOut)
            #expect(ContinuousClock.now - started < .seconds(6))

            let producer = try KafkaProducer(config: ProducerConfig(client: client, deliveryTimeout: .seconds(2)))
            try producer.send(topic: "anything", key: nil, value: [1])
            let flushError = #expect(throws: KafkaError.self) { try producer.flush(timeout: .seconds(5)) }
            #expect(flushError?.code == .delivery, "the record's delivery times out: \(String(describing: flushError))")

            let consumer = try KafkaConsumer(config: ConsumerConfig(client: client, groupID: "nowhere"))
            try consumer.subscribe(["anything"])
            var errors: [KafkaError] = []
            _ = eventually(timeout: .seconds(5)) {
                errors += (try? consumer.poll(maxRecords: 10, timeout: .milliseconds(100)) { $0.errors }) ?? []
                return !errors.isEmpty
            }
            #expect(!errors.isEmpty, "the consumer reports that no broker answers")
        }
    }

    @Test func anUnknownTopicIsNamed() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            let admin = try KafkaAdmin.connect(testClient(broker.bootstrapServers), embedded: broker)
            let error = #expect(throws: KafkaError.self) { try admin.describeTopics(["no-such-topic"]) }
            #expect(error?.code == .unknownTopic)
            #expect(error?.description.contains("no-such-topic") == true)

            // The mock auto-creates topics a producer names; make it answer "unknown" instead.
            broker.setTopicError("ghost", KafkaError.rdKafkaCode(named: "UNKNOWN_TOPIC_OR_PART")!)
            let producer = try KafkaProducer(
                config: ProducerConfig(client: testClient(broker.bootstrapServers), deliveryTimeout: .seconds(2)))
            try producer.send(topic: "ghost", key: nil, value: [1])
            let flushError = #expect(throws: KafkaError.self) { try producer.flush(timeout: .seconds(6)) }
            #expect(flushError?.code == .delivery, "\(String(describing: flushError))")
        }
    }
}
