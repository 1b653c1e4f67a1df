public import SluiceTopology

/// What a task's operators share: where output goes, the record being processed, counters.
///
/// - Important: belongs to one task and its thread; never shared.
public final class TaskContext {
    public let applicationID: String
    public let task: TaskID
    public let deadLetterTopic: String
    let collector: any RecordCollector
    // The properties read or written per record are exempt from run-time exclusivity checks
    // (in profiles of the passthrough, a few percent of the thread): only the task's thread
    // touches them.
    /// The input record now going through the operators, lent by its task for the call; `nil`
    /// between records (a commit step's or a watermark's work has none). A pointer, not a copy:
    /// copying the record in and the last one out was two reference counts each for its topic and
    /// headers, per record; and a copy outliving its call would point into a freed message.
    @exclusivity(unchecked) private var lent: UnsafePointer<RawRecord>?
    /// The largest event time seen by this task (Kafka Streams' stream time); in a task that
    /// follows watermarks, its repartition topics move it only as far as their writers all went.
    @exclusivity(unchecked) public private(set) var streamTime: Int64 = -1
    /// Set when stream time follows the watermarks of the repartition topics the task reads.
    @exclusivity(unchecked) private(set) var watermarks: RepartitionWatermarks?
    /// Partition counts of the application's topics and sub-topologies. A worker sets them and
    /// its tasks exchange watermarks through repartition topics; the TestDriver, which runs every
    /// task in one order, does not.
    public let partitions: PartitionCounts?
    /// Work to do when a watermark moves stream time (releasing what it closed).
    private var timeHooks: [() -> Void] = []
    /// Records this task sent to the dead-letter topic.
    public private(set) var deadLettered = 0
    /// A failure that must stop the task (the output cannot be written); set once.
    @exclusivity(unchecked) public private(set) var failure: (any Error)?
    private(set) var counters: [OperatorCounters] = []
    /// The task's stores; set once the task opened them.
    public internal(set) var stateManager: StateManager?
    /// The worker's global tables, read by global-table joins; shared with every task.
    public internal(set) var globalStores: GlobalStores?
    /// Work to do at each commit step before the stores commit (e.g. expiring old windows).
    private(set) var commitHooks: [() throws -> Void] = []
    /// Reads the wall clock; the TestDriver replaces it.
    public let wallClock: @Sendable () -> Int64

    public init(
        applicationID: String, task: TaskID, deadLetterTopic: String, collector: any RecordCollector,
        partitions: PartitionCounts? = nil, wallClock: @escaping @Sendable () -> Int64
    ) {
        self.partitions = partitions
        self.applicationID = applicationID
        self.task = task
        self.deadLetterTopic = deadLetterTopic
        self.collector = collector
        self.wallClock = wallClock
    }

    /// The input record now going through the operators, or `nil` between records.
    public var current: RawRecord? { lent?.pointee }

    /// The input record's bytes (see `current`), without copying the record.
    var currentValue: UnsafeRawBufferPointer? { lent?.pointee.value }

    /// Runs `body` with `raw` as the current record.
    @inline(__always) func withCurrent(_ raw: UnsafePointer<RawRecord>, _ body: () -> Void) {
        let outer = lent
        lent = raw
        body()
        lent = outer
    }

    func observe(eventTime: Int64) {
        if eventTime > streamTime { streamTime = eventTime }
    }

    /// Whether stream time follows the watermarks of repartition topics.
    public var followsWatermarks: Bool { watermarks != nil }

    /// The stream time an operator reaches with a record of `timestamp`: the record's own time,
    /// or, where stream time follows watermarks, the task's.
    @inline(__always) public func streamTime(reachedBy timestamp: Int64) -> Int64 {
        watermarks == nil ? timestamp : streamTime
    }

    /// From now on, stream time follows the watermarks of `topics`, repartition topics this task reads.
    func followWatermarks(of topics: [String]) {
        guard !topics.isEmpty else { return }
        watermarks = RepartitionWatermarks(topics: topics)
    }

    /// Takes a writer's watermark; runs the time hooks when stream time moved.
    func receive(_ marker: WatermarkMarker, topic: String) {
        guard watermarks != nil else { return }
        watermarks!.record(marker, topic: topic)
        guard let time = watermarks!.time, time > streamTime else { return }
        streamTime = time
        for hook in timeHooks { hook() }
    }

    /// Runs `hook` whenever a watermark moves stream time without a record.
    func onStreamTimeAdvance(_ hook: @escaping () -> Void) { timeHooks.append(hook) }

    /// Runs `hook` at every commit step, before the stores commit.
    func onCommit(_ hook: @escaping () throws -> Void) { commitHooks.append(hook) }

    /// New counters for an operator of this task.
    func counters(for node: NodeInfo) -> OperatorCounters {
        let c = OperatorCounters(node: node)
        counters.append(c)
        return c
    }

    public var counts: [OperatorCounts] { counters.map(\.snapshot) }

    /// Stops the task: its output can no longer be trusted (e.g. the producer is fenced).
    public func fail(_ error: any Error) {
        if failure == nil { failure = error }
    }

    /// Sends the current input record, unchanged, to the dead-letter topic with why and where.
    ///
    /// Headers: `sluice.error`, `sluice.error.operator`, `sluice.source.topic`,
    /// `sluice.source.partition`, `sluice.source.offset`, `sluice.source.timestamp`. Outside a
    /// record (a result a commit step or a watermark released), there is no input to send: the
    /// dead-letter record has no key or value, the first two headers, and the time of sending.
    public func deadLetter(_ error: any Error, at node: NodeInfo) {
        guard let current else {
            let headers: RecordHeaders = [DeadLetterHeaders.error: String(describing: error), DeadLetterHeaders.operation: node.name]
            return sendDeadLetter(key: nil, value: nil, headers: headers, timestamp: wallClock())
        }
        var headers = current.headers
        headers.append(DeadLetterHeaders.error, String(describing: error))
        headers.append(DeadLetterHeaders.operation, node.name)
        headers.append(DeadLetterHeaders.topic, current.topic)
        headers.append(DeadLetterHeaders.partition, String(current.partition))
        headers.append(DeadLetterHeaders.offset, String(current.offset))
        headers.append(DeadLetterHeaders.timestamp, current.timestamp.map { String($0) } ?? "none")
        sendDeadLetter(key: current.key, value: current.value, headers: headers, timestamp: current.timestamp ?? wallClock())
    }

    private func sendDeadLetter(key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders, timestamp: Int64) {
        do {
            try collector.send(topic: deadLetterTopic, partition: nil, key: key, value: value, headers: headers, timestamp: timestamp)
            deadLettered += 1
        } catch {
            fail(error)
        }
    }
}

@available(*, unavailable)
extension TaskContext: Sendable {}

/// The headers of a dead-letter record.
public enum DeadLetterHeaders {
    public static let error = "sluice.error"
    public static let operation = "sluice.error.operator"
    public static let topic = "sluice.source.topic"
    public static let partition = "sluice.source.partition"
    public static let offset = "sluice.source.offset"
    public static let timestamp = "sluice.source.timestamp"
}
