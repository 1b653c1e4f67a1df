/// A worker's live status, as `/api/status` serves it to the dashboard and to `sluice lag`.
public struct WorkerStatus: Sendable, Codable {
    /// One operator: its counts, its throughput and its event-time lag.
    public struct Operator: Sendable, Codable, Hashable {
        public var name: String
        public var operation: String
        public var subtopology: Int
        public var received: Int
        public var forwarded: Int
        public var filtered: Int
        public var deadLettered: Int
        /// Records received per second, over the last few seconds.
        public var recordsPerSecond: Double
        /// Now minus the stream time of the operator's most lagging task, in seconds; `nil`
        /// before any of its tasks saw a record.
        public var eventTimeLagSeconds: Double?
    }

    /// A partition's consumer lag over the last minutes: `[epoch ms, lag]` pairs, oldest first.
    public struct LagSeries: Sendable, Codable, Hashable {
        public var topic: String
        public var partition: Int32
        public var points: [[Int64]]
    }

    public var applicationID: String
    public var instanceID: String
    /// The URL the worker advertises, once its HTTP server listens.
    public var url: String?
    /// `starting`, `joining` (no tasks yet), `running`, `stopping` or `failed`.
    public var state: String
    /// Why the worker failed, when it did.
    public var failure: String?
    /// Epoch milliseconds.
    public var startedAt: Int64
    /// When this status was sampled, in epoch milliseconds.
    public var sampledAt: Int64
    public var operators: [Operator]
    /// Consumer lag of every source partition the worker owns.
    public var partitions: [PartitionLag]
    public var lagHistory: [LagSeries]
    /// The tasks the worker runs, as `subtopology_partition`.
    public var tasks: [String]
    /// Tasks per stream thread.
    public var threads: [String: [String]]
    /// Commit steps completed, and rewinds after undelivered outputs.
    public var commits: Int
    public var rewinds: Int
    /// Partition assignments the stream threads received.
    public var rebalances: Int
    /// Errors the consumers and producers reported.
    public var consumerErrors: Int
    public var producerErrors: Int
    /// Input records evicted before they were read.
    public var lostRecords: Int64
    /// State-store restores under way (filled by the state-store runtime; empty until then).
    public var restoreProgress: [RestoreProgress]

    static func starting(applicationID: String, instanceID: String, startedAt: Int64) -> WorkerStatus {
        WorkerStatus(
            applicationID: applicationID, instanceID: instanceID, url: nil, state: "starting", failure: nil,
            startedAt: startedAt, sampledAt: startedAt, operators: [], partitions: [], lagHistory: [], tasks: [],
            threads: [:], commits: 0, rewinds: 0, rebalances: 0, consumerErrors: 0, producerErrors: 0, lostRecords: 0,
            restoreProgress: [])
    }
}

/// The consumer lag of one source partition: its end offset minus the group's committed offset.
public struct PartitionLag: Sendable, Codable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The next offset to read as committed (by this worker's threads, or else by the group);
    /// `nil` when nothing was ever committed (the lag then counts from the earliest offset).
    public var committedOffset: Int64?
    /// The high watermark.
    public var endOffset: Int64
    public var lag: Int64

    public init(topic: String, partition: Int32, committedOffset: Int64?, endOffset: Int64, lag: Int64) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.endOffset = endOffset
        self.lag = lag
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}
