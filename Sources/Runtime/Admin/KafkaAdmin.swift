internal import CRdKafka
public import Logging

/// Creates, lists and describes topics on any cluster Sluice runs against, behind one interface:
/// Kafka's admin API on Kafka, the mock API or the control channel on the embedded broker,
/// which answers none of Kafka's admin requests (DESIGN.md §4).
public final class KafkaAdmin: @unchecked Sendable {
    // @unchecked: the handle is thread-safe; `backend` and `embedded` are immutable.
    let client: RDKafkaClient
    public let backend: BrokerBackend
    private let embedded: EmbeddedBroker?
    let config: KafkaConfig
    let logger: Logger

    /// Connects and finds out what kind of cluster `config.bootstrapServers` is.
    ///
    /// - Parameters:
    ///   - embedded: the embedded broker of this process, when that is the cluster.
    ///   - controlURL: the control channel of a `sluice broker` process; found through the
    ///     broker itself when not given.
    /// - Throws: `KafkaError` `.timedOut` when no broker answers within `config.requestTimeout`.
    public static func connect(
        _ config: KafkaConfig, embedded: EmbeddedBroker? = nil, controlURL: String? = nil, logger: Logger = .disabled
    ) throws(KafkaError) -> KafkaAdmin {
        let client = try RDKafkaClient(
            kind: .producer, conf: RDKafkaConf(config.baseProperties + config.properties.sorted { $0.key < $1.key }),
            logger: logger)
        let backend: BrokerBackend
        if embedded != nil {
            backend = .embedded
        } else if let controlURL {
            backend = .embeddedRemote(controlURL: controlURL)
        } else if try client.clusterID(timeout: config.requestTimeout).hasPrefix("mockCluster") {
            backend = try BrokerControlDiscovery.find(config, logger: logger).map { .embeddedRemote(controlURL: $0) }
                ?? .embeddedUncontrolled
        } else {
            backend = .kafka
        }
        return KafkaAdmin(client: client, backend: backend, embedded: embedded, config: config, logger: logger)
    }

    private init(client: RDKafkaClient, backend: BrokerBackend, embedded: EmbeddedBroker?, config: KafkaConfig, logger: Logger) {
        self.client = client
        self.backend = backend
        self.embedded = embedded
        self.config = config
        self.logger = logger
    }

    /// Every topic of the cluster, sorted by name.
    public func listTopics(timeout: Duration? = nil) throws(KafkaError) -> [TopicDescription] {
        try client.topicMetadata(timeout: timeout ?? config.requestTimeout)
    }

    /// The named topics. - Throws: `.unknownTopic` naming every topic that does not exist.
    public func describeTopics(_ names: [String], timeout: Duration? = nil) throws(KafkaError) -> [TopicDescription] {
        let all = Dictionary(uniqueKeysWithValues: try listTopics(timeout: timeout).map { ($0.name, $0) })
        let missing = names.filter { all[$0] == nil }
        guard missing.isEmpty else {
            throw KafkaError(.unknownTopic, reason: "no such topic: \(missing.joined(separator: ", "))")
        }
        return names.map { all[$0]! }
    }

    /// The low and high watermarks of every partition of `topic` (for lag and record counts).
    ///
    /// Two ListOffsets requests per leader for the whole topic: asked partition by partition
    /// (`rd_kafka_query_watermark_offsets`, two requests each), a 64-partition topic took 128
    /// round trips, and `Worker.drain` asks for every topic a worker reads each 10 ms until the
    /// commits catch up.
    public func watermarks(_ topic: String, timeout: Duration? = nil) throws(KafkaError) -> [Int32: Watermarks] {
        let timeout = timeout ?? config.requestTimeout
        let partitions = try describeTopics([topic], timeout: timeout)[0].partitions.map { TopicPartition(topic, $0.id) }
        let lows = try beginningOffsets(partitions, timeout: timeout)
        let highs = try endOffsets(partitions, timeout: timeout)
        var result: [Int32: Watermarks] = [:]
        for tp in partitions {
            guard let low = lows[tp], let high = highs[tp] else {
                throw KafkaError(.offsets, reason: "no watermarks for \(tp)")
            }
            result[tp.partition] = Watermarks(low: low, high: high)
        }
        return result
    }

    /// Creates the topics that do not exist yet and waits until the cluster's metadata shows them.
    ///
    /// A topic that exists with the requested partition count is left alone; with another count it
    /// is an error naming both counts (a repartition or changelog topic must match its input).
    public func createTopics(_ topics: [NewTopic], timeout: Duration? = nil) throws(KafkaError) {
        let timeout = timeout ?? config.requestTimeout
        let existing = Dictionary(uniqueKeysWithValues: try listTopics(timeout: timeout).map { ($0.name, $0.partitionCount) })
        var missing: [NewTopic] = []
        for t in topics {
            if let count = existing[t.name] {
                if count != t.partitions {
                    throw KafkaError(
                        .admin, reason: "topic \(t.name) exists with \(count) partitions, \(t.partitions) wanted")
                }
            } else {
                missing.append(t)
            }
        }
        guard !missing.isEmpty else { return }
        switch backend {
        case .kafka: try createWithAdminAPI(missing, timeout: timeout)
        case .embedded:
            for t in missing { try embedded!.createTopic(t.name, partitions: t.partitions) }
        case .embeddedRemote(let url):
            let control = try BrokerControlClient(url: url)
            for t in missing { try control.createTopic(t.name, partitions: t.partitions) }
        case .embeddedUncontrolled:
            throw KafkaError(
                .admin,
                reason: "the embedded broker at \(config.bootstrapServers) has no control channel, so topics "
                    + "\(missing.map(\.name)) cannot be created with a partition count; start it with `sluice broker`")
        }
        if backend != .kafka, missing.contains(where: { !$0.configs.isEmpty }) {
            logger.notice("the embedded broker ignores topic configs (no compaction); see DESIGN.md §4")
        }
        try waitUntilVisible(missing.map(\.name), timeout: timeout)
    }

    private func waitUntilVisible(_ names: [String], timeout: Duration) throws(KafkaError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let known = Set(try listTopics(timeout: timeout).map(\.name))
            if names.allSatisfy(known.contains) { return }
            if ContinuousClock.now >= deadline {
                throw KafkaError(.timedOut, reason: "topics \(names) not visible after \(timeout)", isRetriable: true)
            }
            client.poll(timeout: 50)
        }
    }

    private func createWithAdminAPI(_ topics: [NewTopic], timeout: Duration) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for nt in newTopics { rd_kafka_NewTopic_destroy(nt) } }
        for t in topics {
            guard let nt = rd_kafka_NewTopic_new(t.name, Int32(t.partitions), Int32(t.replicationFactor), &errstr, errstr.count)
            else {
                throw KafkaError(.admin, reason: "topic \(t.name): " + cString(errstr))
            }
            newTopics.append(nt)
            for (k, v) in t.configs.sorted(by: { $0.key < $1.key }) {
                try rdCheck(.admin, "config \(k) of \(t.name)") { rd_kafka_NewTopic_set_config(nt, k, v) }
            }
        }
        let queue = rd_kafka_queue_new(client.handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.milliseconds, &errstr, errstr.count)
        rd_kafka_CreateTopics(client.handle, &newTopics, newTopics.count, options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 1000) else {
            throw KafkaError(.timedOut, reason: "CreateTopics: no answer within \(timeout)", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(err, .admin, context: "CreateTopics: " + String(cString: rd_kafka_event_error_string(event)))
        }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
        for i in 0..<count {
            guard let r = results?[i] else { continue }
            let e = rd_kafka_topic_result_error(r)
            if e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let name = String(cString: rd_kafka_topic_result_name(r))
                let why = rd_kafka_topic_result_error_string(r).map { String(cString: $0) } ?? ""
                throw KafkaError.from(e, .admin, context: "create topic \(name): \(why)")
            }
        }
    }
}
