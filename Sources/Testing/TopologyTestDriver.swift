public import SluiceOperators
public import SluiceTopology

/// Runs a topology without a broker, deterministically, like Kafka Streams' `TopologyTestDriver`.
///
/// Input records go depth-first through the same operators a worker builds, one task per
/// sub-topology and partition; records written to repartition topics are processed in turn;
/// output topics and the dead-letter topic are read back in order.
///
/// ```swift
/// let driver = try TopologyTestDriver(CleanClicks(), partitions: ["raw-clicks": 4])
/// let input = driver.input("raw-clicks", key: .string, value: .json(RawClick.self))
/// try input.pipe(key: "u1", value: click, timestamp: 1_000)
/// let out = driver.output("clicks", key: .string, value: .json(Click.self))
/// #expect(try out.readValues() == [expected])
/// ```
/// Unlike Kafka Streams' driver, topics may have several partitions, so partitioning bugs show.
/// - Important: not thread-safe; use it from one test.
public final class TopologyTestDriver {
    public let plan: TopologyPlan
    let topics: InMemoryTopics
    private var tasks: [TaskID: StreamTask] = [:]
    private var pending: [InMemoryTopics.Position] = []
    private let readTopics: Set<String>
    private var readCursor: [String: Int] = [:]
    private let clock: ManualClock
    /// The global tables' stores, shared by every task as a worker's are.
    public let globals: GlobalStores

    /// - Parameters:
    ///   - partitions: partition counts of topics; others have `defaultPartitions`.
    ///   - wallClock: the starting wall-clock time in milliseconds.
    public convenience init<T: TopologyDefinition>(
        _ topology: T, partitions: [String: Int] = [:], defaultPartitions: Int = 1, wallClock: Int64 = 0
    ) throws {
        try self.init(plan: TopologyPlan(topology), partitions: partitions, defaultPartitions: defaultPartitions, wallClock: wallClock)
    }

    public init(plan: TopologyPlan, partitions: [String: Int] = [:], defaultPartitions: Int = 1, wallClock: Int64 = 0) throws {
        self.plan = plan
        clock = ManualClock(wallClock)
        var counts = partitions
        for t in plan.inputTopics + plan.globalTables.map(\.topic) where counts[t] == nil { counts[t] = defaultPartitions }
        // Internal topics get the partition counts a worker would create them with; joined topics
        // that are not co-partitioned fail here as they would at a worker's start.
        counts.merge(try plan.partitionCounts(existing: counts).topics) { given, _ in given }
        let fixed = counts
        topics = InMemoryTopics { fixed[$0] ?? defaultPartitions }
        readTopics = Set(plan.subtopologies.flatMap(\.sourceTopics))
        globals = GlobalStores(plan.globalTables)
        topics.onAppend = { [unowned self] position in
            if readTopics.contains(position.topic) { pending.append(position) }
            // A global table is updated as soon as its topic is written, as the global thread would.
            if let store = globals.store(reading: position.topic) {
                let r = topics.record(at: position)
                if let key = r.key { key.withUnsafeBytes { k in withBytes(r.value) { store.apply(key: k, value: $0) } } }
            }
        }
    }

    /// A typed handle for piping records into `topic`.
    public func input<K, V>(_ topic: String, key: some Serde<K>, value: some Serde<V>) -> TestInputTopic<K, V> {
        TestInputTopic(driver: self, topic: topic, keySerde: key, valueSerde: value)
    }

    /// A typed handle for reading what was written to `topic`, in order.
    public func output<K, V>(_ topic: String, key: some Serde<K>, value: some Serde<V>) -> TestOutputTopic<K, V> {
        TestOutputTopic(driver: self, topic: topic, keySerde: key, valueSerde: value)
    }

    /// Records sent to the dead-letter topic, as they were read (raw bytes and headers).
    public var deadLetters: [TestRecord<[UInt8]?, [UInt8]?>] {
        (topics.arrivals[plan.deadLetterTopic] ?? []).map { position in
            let r = topics.record(at: position)
            return TestRecord(
                key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, topic: position.topic,
                partition: position.partition, offset: Int64(position.offset))
        }
    }

    /// An operator's counters, summed over its tasks.
    public func counts(of node: String) -> OperatorCounts? {
        tasks.values.flatMap(\.context.counts).filter { $0.node.name == node }.reduce(nil) { sum, c in sum.map { $0 + c } ?? c }
    }

    /// Every operator's counters, summed over tasks, by node name.
    public var allCounts: [String: OperatorCounts] {
        var result: [String: OperatorCounts] = [:]
        for c in tasks.values.flatMap(\.context.counts) { result[c.node.name] = result[c.node.name].map { $0 + c } ?? c }
        return result
    }

    /// The tasks created so far (one per sub-topology and partition that received input).
    public var taskIDs: [TaskID] { tasks.keys.sorted() }

    /// Moves the wall clock (used for records without a timestamp and for wall-clock punctuation).
    public func advanceWallClock(by milliseconds: Int64) { clock.advance(milliseconds) }

    func pipe(_ record: StoredRecord, topic: String, partition: Int32?) throws {
        topics.append(record, to: topic, partition: partition)
        try drain()
    }

    /// Processes every record written to a topic the plan reads, repartition topics included.
    private func drain() throws {
        var next = 0
        while next < pending.count {
            let position = pending[next]
            next += 1
            guard let sub = plan.subtopology(reading: position.topic) else { continue }
            let id = TaskID(subtopology: sub, partition: position.partition)
            let task = try tasks[id] ?? makeTask(id)
            let stored = topics.record(at: position)
            let ok = withBytes(stored.key) { key in
                withBytes(stored.value) { value in
                    task.process(
                        RawRecord(
                            topic: position.topic, partition: position.partition, offset: Int64(position.offset),
                            timestamp: stored.timestamp, key: key, value: value, headers: stored.headers))
                }
            }
            if !ok, let failure = task.context.failure { throw failure }
        }
        pending.removeAll()
    }

    private func makeTask(_ id: TaskID) throws -> StreamTask {
        let clock = self.clock
        let task = try StreamTask(
            id: id, plan: plan, collector: topics, stores: { _ in InMemoryBytesStore() }, globals: globals, wallClock: { clock.now })
        tasks[id] = task
        return task
    }

    /// Runs the commit step of every task, as a worker does once per commit interval: expired
    /// windows are dropped and each store's changes reach its changelog topic.
    public func commit() throws {
        for id in tasks.keys.sorted() { try tasks[id]!.commitState(timestamp: clock.now) }
    }

    /// The named store of every task that has one, by task.
    public func stores(named name: String) -> [TaskID: StateStore] {
        tasks.compactMapValues { $0.state.stores[name] }
    }

    /// Every entry of a key-value store, over all tasks, by key.
    public func keyValueStore<K: Hashable, V>(_ name: String, key: some Serde<K>, value: some Serde<V>) throws -> [K: V] {
        var result: [K: V] = [:]
        for store in stores(named: name).values {
            for entry in try store.keyValues(key: key, value: value) { result[entry.key] = entry.value }
        }
        return result
    }

    func read(_ topic: String) -> [(InMemoryTopics.Position, StoredRecord)] {
        let all = topics.arrivals[topic] ?? []
        let from = readCursor[topic, default: 0]
        readCursor[topic] = all.count
        return all[from...].map { ($0, topics.record(at: $0)) }
    }
}

@available(*, unavailable)
extension TopologyTestDriver: Sendable {}

private func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// The driver's wall clock: moves only when a test moves it.
final class ManualClock: @unchecked Sendable {
    // @unchecked: the driver and its tasks run on the test's thread only.
    private(set) var now: Int64
    init(_ start: Int64) { now = start }
    func advance(_ ms: Int64) { now += ms }
}
