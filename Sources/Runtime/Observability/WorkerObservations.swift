public import SluiceOperators

/// What a worker's stream threads observed besides their operator counters, published with
/// their snapshot at each commit step (never per record) for metrics and the dashboard.
public struct WorkerObservations: Sendable {
    /// The next offset to read, as a stream thread of this worker last committed it, per source
    /// partition it owns. A partition is forgotten when it is assigned or revoked, until the
    /// thread commits it again (the monitor then asks the group's committed offset instead).
    public var committedOffsets: [TopicPartition: Int64] = [:]
    /// Stream time (the largest event time seen, in epoch milliseconds; `-1` before the first
    /// record) of every task the worker runs.
    public var streamTimes: [TaskID: Int64] = [:]
    /// Partition assignments received (one per rebalance the threads took part in).
    public var rebalances = 0
    /// Errors the consumers reported (a broker down, a failed commit, ...).
    public var consumerErrors = 0
    /// Errors the producers reported: client-level errors plus commit steps whose outputs were
    /// not all delivered (each followed by a rewind).
    public var producerErrors = 0
    /// Progress of the state-store restores under way.
    public var restoreProgress: [RestoreProgress] = []

    public init() {}

    /// Adds another thread's observations (each thread owns distinct partitions and tasks).
    mutating func merge(_ other: WorkerObservations) {
        committedOffsets.merge(other.committedOffsets) { max($0, $1) }
        streamTimes.merge(other.streamTimes) { max($0, $1) }
        rebalances += other.rebalances
        consumerErrors += other.consumerErrors
        producerErrors += other.producerErrors
        restoreProgress += other.restoreProgress
    }

    /// Records offsets a thread has just committed.
    mutating func committed(_ offsets: [TopicPartitionOffset]) {
        for o in offsets { if let offset = o.offset { committedOffsets[o.topicPartition] = offset } }
    }

    /// Forgets what this thread committed for partitions it gained or lost: another member may
    /// have moved them since.
    mutating func forget(_ partitions: [TopicPartition]) {
        for tp in partitions { committedOffsets[tp] = nil }
    }
}

/// How far a state store's restore from its changelog has come.
public struct RestoreProgress: Sendable, Hashable, Codable {
    public var store: String
    public var task: String
    /// Changelog records restored so far.
    public var restored: Int64
    /// Changelog records to restore in all.
    public var total: Int64

    public init(store: String, task: String, restored: Int64, total: Int64) {
        self.store = store
        self.task = task
        self.restored = restored
        self.total = total
    }
}
