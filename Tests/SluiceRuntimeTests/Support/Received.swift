import SluiceRuntime
import SluiceTopology

/// A consumed record copied out of its batch, for assertions.
struct Received: Sendable, Hashable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: RecordHeaders
    var timestamp: Int64?

    init(_ r: ConsumedRecord) {
        topic = r.topic
        partition = r.partition
        offset = r.offset
        key = r.key.map(Array.init)
        value = r.value.map(Array.init)
        headers = r.headers
        timestamp = r.timestamp
    }

    var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

extension KafkaConsumer {
    /// Polls until `count` records arrived or `timeout` passed; returns what arrived.
    func drain(count: Int, timeout: Duration = .seconds(30)) throws -> [Received] {
        var out: [Received] = []
        let deadline = ContinuousClock.now + timeout
        while out.count < count, ContinuousClock.now < deadline {
            try poll(maxRecords: 500, timeout: .milliseconds(100)) { batch in
                for i in 0..<batch.count { out.append(Received(batch[i])) }
            }
        }
        return out
    }
}

/// Client settings for tests: quick to give up, quick to rebalance.
func testClient(_ bootstrap: String) -> KafkaConfig {
    KafkaConfig(bootstrapServers: bootstrap, requestTimeout: .seconds(10))
}

func testConsumer(_ bootstrap: String, group: String) -> ConsumerConfig {
    ConsumerConfig(
        client: testClient(bootstrap), groupID: group, sessionTimeout: .seconds(6), heartbeatInterval: .milliseconds(300))
}
