/// The messages of the embedded broker's control channel: JSON over HTTP on loopback.
///
/// `sluice broker` serves it so that other processes (workers, tests) can do what only the mock
/// API can: create topics with a partition count, take brokers down and up, inject errors.
///
///     GET    /                      → BrokerInfo
///     POST   /topics                ← CreateTopicRequest   → CreateTopicResponse
///     POST   /brokers/{id}/down     → 204
///     POST   /brokers/{id}/up       → 204
///     POST   /errors                ← InjectErrorsRequest  → 204
///     DELETE /errors/{api}          → 204
///     POST   /topics/{name}/error   ← TopicErrorRequest    → 204
enum BrokerControlProtocol {
    struct BrokerInfo: Codable, Sendable {
        var bootstrap: String
        var brokers: Int
    }

    struct CreateTopicRequest: Codable, Sendable {
        var name: String
        var partitions: Int
    }

    struct CreateTopicResponse: Codable, Sendable {
        var created: Bool
    }

    struct InjectErrorsRequest: Codable, Sendable {
        /// A Kafka API name such as `Produce` (see `KafkaAPI`).
        var api: String
        /// librdkafka error names such as `NOT_LEADER_FOR_PARTITION` or `_TRANSPORT`.
        var errors: [String]
    }

    struct TopicErrorRequest: Codable, Sendable {
        /// An error name, or `NO_ERROR` to clear.
        var error: String
    }

    struct Failure: Codable, Sendable {
        var error: String
    }
}
