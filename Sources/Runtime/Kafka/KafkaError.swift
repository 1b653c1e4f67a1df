internal import CRdKafka

/// The one error type of Sluice's Kafka layer.
///
/// `description` carries librdkafka's reason and never a record's key or value: errors are logged
/// and sent to dead-letter headers, where a payload would leak data.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible without breaking users (a struct over a private enum).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case configuration, clientCreation, enqueue, delivery, timedOut, unknownTopic
            case transaction, fenced, consumer, offsets, offsetOutOfRange, rebalance, admin
            case brokerControl, metadata, closed
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// A librdkafka property was unknown or its value invalid.
        public static let configuration = Code(.configuration)
        /// librdkafka refused to create the client handle.
        public static let clientCreation = Code(.clientCreation)
        /// A record could not be queued for sending.
        public static let enqueue = Code(.enqueue)
        /// One or more records were not acknowledged by the broker.
        public static let delivery = Code(.delivery)
        /// An operation did not finish within its timeout.
        public static let timedOut = Code(.timedOut)
        /// A topic does not exist (and was not created).
        public static let unknownTopic = Code(.unknownTopic)
        /// A transactional call failed; see `isRetriable`, `requiresAbort`, `isFatal`.
        public static let transaction = Code(.transaction)
        /// Another producer with the same transactional id took over: this one must stop.
        public static let fenced = Code(.fenced)
        /// A consumer call (subscribe, assign, poll, seek, pause) failed.
        public static let consumer = Code(.consumer)
        /// Committing or reading offsets failed.
        public static let offsets = Code(.offsets)
        /// The consumer's position no longer exists on the broker (evicted or deleted): input was lost.
        public static let offsetOutOfRange = Code(.offsetOutOfRange)
        /// Assigning or revoking partitions failed.
        public static let rebalance = Code(.rebalance)
        /// An admin request (create, list, describe topics) failed.
        public static let admin = Code(.admin)
        /// The embedded broker's control channel failed or refused a request.
        public static let brokerControl = Code(.brokerControl)
        /// Cluster or topic metadata could not be read.
        public static let metadata = Code(.metadata)
        /// The client was already closed.
        public static let closed = Code(.closed)

        public var description: String { backing.rawValue }
    }

    public let code: Code
    /// librdkafka's `rd_kafka_resp_err_t`, when the failure came from librdkafka.
    public let rdKafkaCode: Int32?
    /// The operation can be tried again as it is.
    public let isRetriable: Bool
    /// The client is unusable: it must be closed and the worker must stop (or rejoin, for fencing).
    public let isFatal: Bool
    /// The open transaction must be aborted before anything else (`rd_kafka_error_txn_requires_abort`).
    public let requiresAbort: Bool
    /// librdkafka's reason or ours. Never contains a record's key or value.
    public let reason: String
    public let file: String
    public let line: Int

    package init(
        _ code: Code, reason: String, rdKafkaCode: Int32? = nil, isRetriable: Bool = false,
        isFatal: Bool = false, requiresAbort: Bool = false, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.rdKafkaCode = rdKafkaCode
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.requiresAbort = requiresAbort
        self.file = file
        self.line = line
    }

    /// librdkafka's symbolic name of the code, e.g. `_TRANSPORT` or `UNKNOWN_TOPIC_OR_PART`.
    public var rdKafkaName: String? {
        rdKafkaCode.map { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t($0))) }
    }

    public var description: String {
        var s = "KafkaError.\(code): \(reason)"
        if let name = rdKafkaName { s += " [\(name)]" }
        if isFatal { s += " (fatal)" } else if requiresAbort { s += " (abort transaction)" } else if isRetriable { s += " (retriable)" }
        return s
    }
}
