/// A group consumer's settings.
public struct ConsumerConfig: Sendable {
    /// Which records a consumer sees of transactional producers' output.
    public struct Isolation: Sendable, Hashable {
        fileprivate let name: String
        /// Only committed transactions (and non-transactional records).
        public static let readCommitted = Isolation(name: "read_committed")
        /// Everything, including open and aborted transactions.
        public static let readUncommitted = Isolation(name: "read_uncommitted")
    }

    /// How partitions are spread over the group's members.
    public struct Assignment: Sendable, Hashable {
        fileprivate let name: String
        /// Equal partition numbers of co-partitioned topics go to the same member (DESIGN.md §3).
        public static let range = Assignment(name: "range")
        public static let roundRobin = Assignment(name: "roundrobin")
    }

    /// Where a partition without a usable position starts.
    public struct OffsetReset: Sendable, Hashable {
        fileprivate let name: String
        public static let earliest = OffsetReset(name: "earliest")
        public static let latest = OffsetReset(name: "latest")
        /// No silent jump: the consumer reports `KafkaError.Code.offsetOutOfRange` with the lost range.
        public static let error = OffsetReset(name: "error")
    }

    public var client: KafkaConfig
    /// The consumer group (`group.id`); for a topology, its application id.
    public var groupID: String
    /// Default: `.readCommitted`.
    public var isolation: Isolation
    /// Default: `.range`.
    public var assignment: Assignment
    /// Default: `.error`, so that evicted input is reported, never skipped silently (DESIGN.md §4).
    public var offsetReset: OffsetReset
    /// A member silent for this long leaves the group. Default: 10 s.
    public var sessionTimeout: Duration
    /// Default: 1 s, so that rebalances complete quickly when members join.
    public var heartbeatInterval: Duration
    /// Longest time between polls before the member is considered stuck. Default: 5 minutes.
    public var maxPollInterval: Duration
    /// Records fetched ahead of the application (`queued.min.messages`). Default: 20,000.
    public var prefetchMessages: Int
    /// Bytes fetched ahead of the application (`queued.max.messages.kbytes`): with `fetchMaxBytes`,
    /// the bound on a consumer's memory. Default: 16 MiB.
    public var prefetchBytes: Int
    /// Largest fetch response (`fetch.max.bytes`). Default: 8 MiB.
    public var fetchMaxBytes: Int

    public init(
        client: KafkaConfig = KafkaConfig(), groupID: String, isolation: Isolation = .readCommitted,
        assignment: Assignment = .range, offsetReset: OffsetReset = .error,
        sessionTimeout: Duration = .seconds(10), heartbeatInterval: Duration = .seconds(1),
        maxPollInterval: Duration = .seconds(300), prefetchMessages: Int = 20_000, prefetchBytes: Int = 16 << 20,
        fetchMaxBytes: Int = 8 << 20
    ) {
        self.client = client
        self.groupID = groupID
        self.isolation = isolation
        self.assignment = assignment
        self.offsetReset = offsetReset
        self.sessionTimeout = sessionTimeout
        self.heartbeatInterval = heartbeatInterval
        self.maxPollInterval = maxPollInterval
        self.prefetchMessages = Int(client.properties["queued.min.messages"] ?? "") ?? prefetchMessages
        self.prefetchBytes = prefetchBytes
        self.fetchMaxBytes = fetchMaxBytes
    }

    var librdkafkaProperties: [(String, String)] {
        var p = client.baseProperties
        p += [
            ("group.id", groupID),
            ("isolation.level", isolation.name),
            ("partition.assignment.strategy", assignment.name),
            ("auto.offset.reset", offsetReset.name),
            ("session.timeout.ms", String(sessionTimeout.milliseconds)),
            ("heartbeat.interval.ms", String(heartbeatInterval.milliseconds)),
            ("max.poll.interval.ms", String(maxPollInterval.milliseconds)),
            ("queued.min.messages", String(prefetchMessages)),
            ("queued.max.messages.kbytes", String(max(prefetchBytes / 1024, 1))),
            ("fetch.max.bytes", String(fetchMaxBytes)),
            // Sluice commits explicitly, after the batch's outputs are acknowledged (DESIGN.md §3).
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
        ]
        p.append(contentsOf: client.properties.sorted { $0.key < $1.key })
        return p
    }
}
