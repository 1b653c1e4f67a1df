/// A topic to create.
public struct NewTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    /// Default: 1 on the embedded broker; on Kafka, `-1` takes the broker's default.
    public var replicationFactor: Int
    /// Topic configs such as `cleanup.policy=compact`. The embedded broker cannot keep them
    /// (it has no compaction, DESIGN.md §4); they are applied on Kafka.
    public var configs: [String: String]

    public init(_ name: String, partitions: Int, replicationFactor: Int = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What the cluster's metadata says of a topic.
public struct TopicDescription: Sendable, Hashable {
    public struct Partition: Sendable, Hashable {
        public var id: Int32
        /// Broker id of the leader; `-1` when it has none (e.g. its broker is down).
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
    }

    public var name: String
    public var partitions: [Partition]
    public var partitionCount: Int { partitions.count }
}

/// Which kind of cluster an admin talks to; it decides how topics are created (DESIGN.md §4).
public enum BrokerBackend: Sendable, Hashable, CustomStringConvertible {
    /// A Kafka cluster: Kafka's admin API.
    case kafka
    /// The embedded broker of this process: its mock API.
    case embedded
    /// An embedded broker in another process (`sluice broker`): its control channel at this URL.
    case embeddedRemote(controlURL: String)
    /// A mock cluster without a control channel: topics can only be auto-created, with 4 partitions.
    case embeddedUncontrolled

    public var description: String {
        switch self {
        case .kafka: "Kafka"
        case .embedded: "embedded broker (in process)"
        case .embeddedRemote(let url): "embedded broker (control at \(url))"
        case .embeddedUncontrolled: "embedded broker (no control channel)"
        }
    }
}
