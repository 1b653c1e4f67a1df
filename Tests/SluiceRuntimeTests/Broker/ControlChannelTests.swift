import Hummingbird
import Logging
import SluiceRuntime
import Synchronization
import Testing

/// Runs a control channel for `broker` while `body` runs, and hands `body` its URL.
func withControlChannel<T: Sendable>(
    _ broker: EmbeddedBroker, _ body: @escaping @Sendable (String) throws -> T
) async throws -> T {
    let (urls, continuation) = AsyncStream.makeStream(of: String.self)
    let app = BrokerControlServer.application(for: broker, logger: Logger(label: "test")) { url in
        continuation.yield(url)
    }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = urls.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        let result = try await blocking { try body(url) }
        group.cancelAll()
        return result
    }
}

@Suite("The embedded broker's control channel")
struct ControlChannelTests {
    @Test func anotherProcessCreatesTopicsAndTakesBrokersDown() async throws {
        let broker = try EmbeddedBroker(brokers: 2)
        try await withControlChannel(broker) { url in
            let control = try BrokerControlClient(url: url)
            #expect(try control.info().bootstrap == broker.bootstrapServers)
            #expect(try control.info().brokers == 2)
            #expect(try control.createTopic("wide", partitions: 12))
            #expect(try control.createTopic("wide", partitions: 12) == false, "a second create is a no-op")
            let admin = try KafkaAdmin.connect(testClient(broker.bootstrapServers), controlURL: url)
            #expect(try admin.describeTopics(["wide"]).first?.partitionCount == 12)

            // Broker 2 leads some partitions; while it is down nothing sent to them is acknowledged.
            let led = try #require(admin.describeTopics(["wide"]).first?.partitions.first { $0.leader == 2 })
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            try control.setBrokerDown(2)
            try producer.send(topic: "wide", partition: led.id, key: nil, value: [1])
            #expect(throws: KafkaError.self) { try producer.flush(timeout: .seconds(2)) }
            try control.setBrokerUp(2)
            try producer.flush(timeout: .seconds(20))

            try control.pushRequestErrors(.produce, ["NOT_LEADER_FOR_PARTITION"])
            #expect(throws: KafkaError.self) { try control.pushRequestErrors(.produce, ["NO_SUCH_ERROR"]) }
            #expect(throws: KafkaError.self) { try control.setBrokerDown(9) }
        }
    }

    @Test func anAdminThatKnowsOnlyTheBootstrapFindsTheChannel() async throws {
        let broker = try EmbeddedBroker()
        try await withControlChannel(broker) { url in
            try broker.announceControlChannel(url)
            let admin = try KafkaAdmin.connect(testClient(broker.bootstrapServers))
            #expect(admin.backend == .embeddedRemote(controlURL: url))
            try admin.createTopics([NewTopic("app-store-changelog", partitions: 6, configs: ["cleanup.policy": "compact"])])
            #expect(try admin.describeTopics(["app-store-changelog"]).first?.partitionCount == 6)
            try admin.createTopics([NewTopic("app-store-changelog", partitions: 6)])  // exists: fine
            let mismatch = #expect(throws: KafkaError.self) {
                try admin.createTopics([NewTopic("app-store-changelog", partitions: 3)])
            }
            #expect(mismatch?.description.contains("exists with 6 partitions, 3 wanted") == true)
        }
    }

    @Test func anAdminOfAnUnannouncedMockSaysWhatIsMissing() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            let admin = try KafkaAdmin.connect(testClient(broker.bootstrapServers))
            #expect(admin.backend == .embeddedUncontrolled)
            let error = #expect(throws: KafkaError.self) { try admin.createTopics([NewTopic("x", partitions: 3)]) }
            #expect(error?.description.contains("sluice broker") == true)
        }
    }
}
