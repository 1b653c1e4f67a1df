internal import CRdKafka
public import Logging

/// Sluice's embedded broker: librdkafka's Kafka-protocol mock cluster, in this process.
///
/// Real sockets and the real protocol, consumer groups, transactions and failure injection; but no
/// admin requests, no compaction, no read_committed filtering, and only about 5 MiB per partition
/// before the oldest batches are evicted (DESIGN.md §4). Topics are auto-created on first use with
/// 4 partitions, or created here with any count.
public final class EmbeddedBroker: @unchecked Sendable {
    // @unchecked: every mock call is thread-safe (librdkafka serves them on the cluster's own
    // thread through an op queue); nothing mutable lives in Swift.
    private let host: RDKafkaClient
    private let cluster: OpaquePointer
    /// `host:port,...` of the brokers, for clients' `bootstrap.servers`.
    public let bootstrapServers: String
    public let brokerCount: Int

    /// Starts `brokers` brokers on loopback, on free ports.
    public init(brokers: Int = 1, logger: Logger = .disabled) throws(KafkaError) {
        guard brokers >= 1 else { throw KafkaError(.configuration, reason: "an embedded broker needs at least 1 broker") }
        // A client of no cluster: it only hosts the mock cluster's thread and timers.
        host = try RDKafkaClient(kind: .producer, conf: RDKafkaConf([("log_level", "3")]), logger: logger)
        guard let cluster = rd_kafka_mock_cluster_new(host.handle, Int32(brokers)) else {
            throw KafkaError(.clientCreation, reason: "the embedded broker could not start (no free port on loopback?)")
        }
        self.cluster = cluster
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        // The cluster runs on the host client's threads: destroy it first.
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates `name` with `partitions` partitions.
    /// - Returns: `false` when the topic already existed (its partition count is unchanged).
    @discardableResult
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) -> Bool {
        guard partitions >= 1 else { throw KafkaError(.admin, reason: "topic \(name): partitions must be at least 1") }
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(min(brokerCount, 3)))
        if err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS { return false }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(err, .admin, context: "create topic \(name)") }
        return true
    }

    /// Takes broker `id` (1-based) off the network: its connections close and it accepts none.
    public func setBrokerDown(_ id: Int) throws(KafkaError) {
        try rdCheck(.brokerControl, "broker \(id) down") { rd_kafka_mock_broker_set_down(cluster, Int32(id)) }
    }

    /// Brings broker `id` back.
    public func setBrokerUp(_ id: Int) throws(KafkaError) {
        try rdCheck(.brokerControl, "broker \(id) up") { rd_kafka_mock_broker_set_up(cluster, Int32(id)) }
    }

    /// Makes the next `errors.count` requests of kind `api` fail, in order, with these error codes
    /// (librdkafka's numbers; see `KafkaError.rdKafkaCode(named:)`).
    public func pushRequestErrors(_ api: KafkaAPI, _ errors: [Int32]) {
        var codes = errors.map { rd_kafka_resp_err_t($0) }
        rd_kafka_mock_push_request_errors_array(cluster, api.key, codes.count, &codes)
    }

    /// Forgets the injected errors of `api` that have not fired yet.
    public func clearRequestErrors(_ api: KafkaAPI) {
        rd_kafka_mock_clear_request_errors(cluster, api.key)
    }

    /// Makes every Metadata answer for `topic` carry `error` (0 clears it).
    public func setTopicError(_ topic: String, _ error: Int32) {
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(error))
    }
}

/// A Kafka request type, for error injection.
public struct KafkaAPI: Sendable, Hashable, CustomStringConvertible {
    public let key: Int16
    public let name: String

    public static let produce = KafkaAPI(key: 0, name: "Produce")
    public static let fetch = KafkaAPI(key: 1, name: "Fetch")
    public static let listOffsets = KafkaAPI(key: 2, name: "ListOffsets")
    public static let metadata = KafkaAPI(key: 3, name: "Metadata")
    public static let offsetCommit = KafkaAPI(key: 8, name: "OffsetCommit")
    public static let offsetFetch = KafkaAPI(key: 9, name: "OffsetFetch")
    public static let findCoordinator = KafkaAPI(key: 10, name: "FindCoordinator")
    public static let joinGroup = KafkaAPI(key: 11, name: "JoinGroup")
    public static let heartbeat = KafkaAPI(key: 12, name: "Heartbeat")
    public static let leaveGroup = KafkaAPI(key: 13, name: "LeaveGroup")
    public static let syncGroup = KafkaAPI(key: 14, name: "SyncGroup")
    public static let initProducerID = KafkaAPI(key: 22, name: "InitProducerId")
    public static let addPartitionsToTxn = KafkaAPI(key: 24, name: "AddPartitionsToTxn")
    public static let addOffsetsToTxn = KafkaAPI(key: 25, name: "AddOffsetsToTxn")
    public static let endTxn = KafkaAPI(key: 26, name: "EndTxn")
    public static let txnOffsetCommit = KafkaAPI(key: 28, name: "TxnOffsetCommit")

    public static let all: [KafkaAPI] = [
        .produce, .fetch, .listOffsets, .metadata, .offsetCommit, .offsetFetch, .findCoordinator, .joinGroup,
        .heartbeat, .leaveGroup, .syncGroup, .initProducerID, .addPartitionsToTxn, .addOffsetsToTxn, .endTxn,
        .txnOffsetCommit,
    ]

    /// The API with this name (case-insensitive), e.g. `Produce` or `EndTxn`.
    public init?(named name: String) {
        guard let api = Self.all.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = api
    }

    private init(key: Int16, name: String) {
        self.key = key
        self.name = name
    }

    public var description: String { name }
}
