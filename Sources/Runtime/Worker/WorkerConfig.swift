/// A worker's settings (DESIGN.md §3). Every duration is typed; every property has a default.
public struct WorkerConfig: Sendable {
    /// What the worker promises about its output.
    public struct Guarantee: Sendable, Hashable, CustomStringConvertible {
        fileprivate let name: String
        /// Offsets are committed only after every output of the batch is acknowledged: nothing is
        /// lost, and after a crash some records may be written twice.
        public static let atLeastOnce = Guarantee(name: "at-least-once")
        /// One Kafka transaction per commit interval and stream thread holds the interval's outputs,
        /// changelog records and input offsets (Kafka Streams' exactly_once_v2); inputs and restores
        /// read only committed records, and a failure aborts and rewinds. Slower than at-least-once.
        public static let exactlyOnce = Guarantee(name: "exactly-once")
        public static let all: [Guarantee] = [.atLeastOnce, .exactlyOnce]

        /// The guarantee named `name` (`at-least-once` or `exactly-once`), as on the command line.
        public init?(named name: String) {
            guard let match = Self.all.first(where: { $0.name == name }) else { return nil }
            self = match
        }
        private init(name: String) { self.name = name }

        public var description: String { name }
    }

    /// `host:port,...` of a Kafka cluster; `nil` starts the embedded broker in this process.
    /// Default: `nil`.
    public var brokers: String?
    /// Stream threads, each with its own consumer and producer. Default: 1.
    public var threads: Int
    /// Most records polled for one micro-batch. Default: 5,000.
    public var batchSize: Int
    /// Longest wait for a micro-batch to fill. Default: 50 ms.
    public var batchLinger: Duration
    /// Shortest time between commit steps (flush outputs, commit offsets). Each step makes the
    /// producer send every partial batch at once, so short intervals cost throughput; long ones
    /// mean more records processed again after a crash (Kafka Streams uses 30 s under
    /// at-least-once). Default: 1 s.
    public var commitInterval: Duration
    /// Changes a store may get ahead of its checkpoint before it persists and checkpoints again
    /// (Kafka Streams' 10,000): the most a restart after a crash replays per store, beyond one
    /// commit interval. Lower means smaller replays and more RocksDB flushes. Default: 10,000.
    public var checkpointChanges = 10_000
    /// Bytes of committed entries the worker's stores keep in memory for reads (tables a stream
    /// joins, aggregates updated per key), shared evenly by the threads and then by the stores of
    /// each thread. A store evicts at random when its share is full; the share also bounds its
    /// decoded values (one per 256 bytes). Kafka Streams' record cache plays this part (10 MiB per
    /// instance by default). `0` turns it off. Default: 32 MiB.
    public var storeCacheBytes = 32 << 20
    /// How long the state of a task that left this worker stays on disk before it is removed
    /// (Kafka Streams' `state.cleanup.delay.ms`): a task that comes back within it restores only
    /// what its changelog gained since. Default: 10 minutes.
    public var stateCleanupDelay: Duration = .seconds(600)
    /// Where task state lives (RocksDB, checkpoints). Default: `./.sluice-state`.
    public var stateDirectory: String
    /// What holds task state. Default: `.rocksDB`.
    public var stateBackend: StateBackend
    /// Default: `.atLeastOnce`.
    public var guarantee: Guarantee
    /// Partitions of topics the worker creates on the embedded broker when nothing else decides
    /// (missing input or output topics). Default: 4.
    public var defaultPartitions: Int
    /// librdkafka properties for every client (`-X key=value`). Default: empty.
    public var properties: [String: String]
    /// Metrics, status sampling and the registry heartbeat. Default: `ObservabilityConfig()`.
    public var observability = ObservabilityConfig()

    public init(
        brokers: String? = nil, threads: Int = 1, batchSize: Int = 5_000, batchLinger: Duration = .milliseconds(50),
        commitInterval: Duration = .seconds(1), stateDirectory: String = ".sluice-state",
        guarantee: Guarantee = .atLeastOnce, defaultPartitions: Int = 4, properties: [String: String] = [:],
        stateBackend: StateBackend = .rocksDB
    ) {
        self.brokers = brokers
        self.threads = threads
        self.batchSize = batchSize
        self.batchLinger = batchLinger
        self.commitInterval = commitInterval
        self.stateDirectory = stateDirectory
        self.guarantee = guarantee
        self.defaultPartitions = defaultPartitions
        self.properties = properties
        self.stateBackend = stateBackend
    }

    /// - Throws: `StreamsError` `.configuration` naming each bad setting.
    func validate() throws(StreamsError) {
        var problems: [String] = []
        if threads < 1 { problems.append("threads must be at least 1") }
        if batchSize < 1 { problems.append("batch size must be at least 1") }
        if batchLinger < .zero { problems.append("batch linger must not be negative") }
        if checkpointChanges < 1 { problems.append("checkpoint changes must be at least 1") }
        if storeCacheBytes < 0 { problems.append("store cache bytes must not be negative") }
        if stateCleanupDelay < .zero { problems.append("state cleanup delay must not be negative") }
        if defaultPartitions < 1 { problems.append("default partitions must be at least 1") }
        if !problems.isEmpty { throw StreamsError(.configuration, problems.joined(separator: "; ")) }
    }
}

/// What holds a worker's task state.
public struct StateBackend: Sendable, Hashable, CustomStringConvertible {
    fileprivate let name: String
    /// RocksDB under the state directory, with a checkpoint per task: a restart restores only
    /// what the changelog holds beyond the checkpoint.
    public static let rocksDB = StateBackend(name: "rocksdb")
    /// Memory: every start restores the whole changelog. For tests and small state.
    public static let inMemory = StateBackend(name: "memory")
    public var description: String { name }
}
