public import SluiceTopology

/// One sub-topology on one partition: its operators, built from the plan, and its context.
///
/// The runtime and the TestDriver feed it raw records; it routes each to the source of its topic,
/// which takes it depth-first through every operator before `process` returns.
/// - Important: owned by one thread.
public final class StreamTask {
    public let id: TaskID
    public let context: TaskContext
    private let sources: [String: any SourceProcessor]
    // Records of one topic come in runs: compare with the last topic (the same string storage
    // compares at once) before hashing.
    @exclusivity(unchecked) private var last: (topic: String, source: (any SourceProcessor)?) = ("", nil)

    /// Opens the task's stores through `stores` and builds its operators.
    /// - Parameters:
    ///   - globals: the worker's global tables, when the plan joins any.
    ///   - partitions: the application's partition counts. A worker passes them: its tasks run
    ///     apart, so those writing repartition topics send watermarks and those reading them follow
    ///     the watermarks. Without them (the TestDriver, which runs every task in one order), stream
    ///     time follows the records as they come.
    /// - Throws: when a store cannot be opened.
    public init(
        id: TaskID, plan: TopologyPlan, collector: any RecordCollector, stores: BytesStoreOpener,
        globals: GlobalStores? = nil, partitions: PartitionCounts? = nil, wallClock: @escaping @Sendable () -> Int64
    ) throws {
        self.id = id
        context = TaskContext(
            applicationID: plan.applicationID, task: id, deadLetterTopic: plan.deadLetterTopic, collector: collector,
            partitions: partitions, wallClock: wallClock)
        let state = try StateManager(
            applicationID: plan.applicationID, task: id, specs: plan.subtopologies[id.subtopology].stores, opener: stores)
        context.stateManager = state
        context.globalStores = globals
        sources = plan.buildTask(subtopology: id.subtopology, factory: TaskOperatorFactory(context: context))
        if partitions != nil {
            let repartitions = Set(plan.internalTopics.filter(\.repartition).map(\.name))
            context.followWatermarks(of: sources.keys.filter(repartitions.contains).sorted())
        }
    }

    /// The task's stores (empty for stateless tasks).
    public var state: StateManager { context.stateManager! }

    /// The commit step's work for this task: expiry, then every store's changes to its changelog
    /// and into its bytes.
    public func commitState(timestamp: Int64) throws {
        for hook in context.commitHooks { try hook() }
        try state.commit(to: context.collector, timestamp: timestamp)
    }

    /// Under exactly-once, the commit step's work inside the open transaction: expiry, then every
    /// store's changes to its changelog; the changes stay pending until `finishCommit`.
    public func prepareCommit(timestamp: Int64) throws {
        for hook in context.commitHooks { try hook() }
        try state.sendChangelogs(to: context.collector, timestamp: timestamp)
    }

    /// Under exactly-once, after the transaction committed: the stores write their changes.
    public func finishCommit() throws { try state.applyPending() }

    /// Closes the task's stores.
    public func close() { state.close() }

    /// Topics this task reads.
    public var topics: [String] { Array(sources.keys).sorted() }

    /// Takes one input record through the operators.
    /// - Returns: `false` when the task has failed (see `context.failure`) and must stop.
    @discardableResult
    public func process(_ raw: RawRecord) -> Bool {
        withUnsafePointer(to: raw) { record in
            context.withCurrent(record) { route(raw) }
        }
        return context.failure == nil
    }

    private func route(_ raw: RawRecord) {
        // Called through `unsafelyUnwrapped` after the nil check, not bound to a local: the
        // binding copies the existential, a retain and a release per record. (The call itself
        // still retains the source around it; holding it `unowned(unsafe)` added a pair.)
        if last.source != nil, raw.topic == last.topic {
            last.source.unsafelyUnwrapped.process(raw)
        } else if let found = sources[raw.topic] {
            last = (raw.topic, found)
            found.process(raw)
        }
    }
}

@available(*, unavailable)
extension StreamTask: Sendable {}
