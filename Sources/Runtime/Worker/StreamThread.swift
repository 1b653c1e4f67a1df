import Foundation
import Logging
import SluiceOperators
import SluiceTopology
import Synchronization

/// One stream thread (DESIGN.md §3): a consumer and a producer of its own, and the tasks of the
/// partitions assigned to it. It restores their stores, polls a micro-batch, takes each record
/// depth-first through its task's operators, and runs one commit step per commit interval.
/// - Important: everything here runs on the thread itself; only `state` is shared.
final class StreamThread: RebalanceListener {
    let index: Int
    let plan: TopologyPlan
    let config: WorkerConfig
    let client: KafkaConfig
    let state: WorkerState
    let stores: StateStores.Backend
    /// Under exactly-once, this thread's producer's id (`Worker.transactionalID(thread:)`).
    let transactionalID: String
    /// The cluster is librdkafka's mock (DESIGN.md §4), whose transactions do not store offsets.
    let mockBroker: Bool
    /// The worker's global tables, shared with every task (nil without any).
    let globals: GlobalStores?
    /// The application's partition counts: tasks writing repartition topics send watermarks to
    /// each of their partitions, from one of as many writers as their sub-topology has tasks.
    let partitions: PartitionCounts
    var logger: Logger

    var consumer: KafkaConsumer!
    var collector: KafkaRecordCollector!
    var restorer: StateRestorer!
    var tasks: [TaskID: StreamTask] = [:]
    /// Tasks whose stores are restored: only they process records.
    var running: Set<TaskID> = []
    /// Input partitions paused while their task restores.
    var pausedForRestore: Set<TopicPartition> = []
    /// Tasks reading their lookup tables before their streams, and the streams held meanwhile.
    var catchingUp: [TaskID: TableCatchUp] = [:]
    var heldForTables: Set<TopicPartition> = []
    let lookupTableTopics: Set<String>
    /// Source topics that tables mirror (`TableChangelog.sourceTopic`), and per partition of
    /// them that this thread's tasks read, the offset last committed: what those tables'
    /// checkpoints name (asking the group coordinator while the consumer closes can wait it out).
    let mirroredSources: Set<String>
    var mirroredSourceOffsets: [TopicPartition: Int64] = [:]
    /// Running tasks by sub-topology and partition, for a lookup per record without hashing.
    var slots: [[StreamTask?]] = []
    /// Sub-topology per consumer topic id (`-1`: a topic the plan does not read).
    var routes: [Int] = []
    /// Next offset to commit, per consumer topic id and partition (`-1`: nothing new).
    var pending: [[Int64]] = []
    var topicNames: [Int: String] = [:]
    var retired: [String: OperatorCounts] = [:]
    var snapshot = ThreadSnapshot()
    var lastCommit = ContinuousClock.now
    /// When the first thread last looked for state of tasks that left (`removeAbandonedState`).
    var lastStateCleanup = ContinuousClock.now
    /// Under exactly-once: a rebalance callback aborted the transaction; the tasks still running
    /// rewind before the next batch (seeking inside the callback is not allowed).
    var rewindRequested = false
    /// Under exactly-once: aborts since the last committed transaction; a failure that repeats
    /// on every retry stops the thread instead of looping.
    var consecutiveAborts = 0
    /// Times batches per sub-topology and commit steps (metrics).
    let observer: ThreadObserver

    init(
        index: Int, plan: TopologyPlan, config: WorkerConfig, client: KafkaConfig, state: WorkerState,
        stores: StateStores.Backend, partitions: PartitionCounts, transactionalID: String = "",
        mockBroker: Bool = false, globals: GlobalStores? = nil, logger: Logger
    ) {
        self.partitions = partitions
        self.index = index
        self.plan = plan
        self.config = config
        self.client = client
        self.state = state
        self.stores = stores
        self.transactionalID = transactionalID
        self.mockBroker = mockBroker
        self.globals = globals
        var logger = logger
        logger[metadataKey: "streams.thread"] = "\(index)"
        self.logger = logger
        slots = plan.subtopologies.map { _ in [] }
        lookupTableTopics = plan.lookupTableTopics
        mirroredSources = Set(plan.stores.compactMap(\.spec.sourceTopic))
        observer = ThreadObserver(metrics: state.metrics, subtopologies: plan.subtopologies.count)
    }

    /// The thread's body: runs until the worker stops or a fatal error.
    func run() {
        // Queries still waiting when the thread ends are told its tasks are gone.
        defer { state.queries[index].close() }
        do {
            try start()
            while !state.stopRequested.load(ordering: .acquiring) {
                try runOnce()
            }
            try shutDown()
        } catch {
            let fatal = (error as? StreamsError) ?? StreamsError(.fatal, "stream thread \(index): \(error)", underlying: error as? KafkaError)
            logger.critical("stream thread failed", metadata: ["error": "\(fatal)"])
            state.fail(fatal)
            for task in tasks.values { task.close() }
            try? consumer?.close()
            restorer?.close()
        }
    }

    private func start() throws {
        let consumerConfig = ConsumerConfig(client: client, groupID: plan.applicationID)
        consumer = try KafkaConsumer(config: consumerConfig, logger: logger)
        consumer.rebalanceListener = self
        let exactlyOnce = config.guarantee == .exactlyOnce
        // A linger of 50 ms (Kafka Streams waits 100): a worker's output trickles out record by
        // record, and a batch sent every 5 ms (librdkafka's default) would hold a handful of
        // records per partition, each request costing the producer's thread more than its
        // records; the commit step's flush sends at once, so results wait no longer than a commit
        // interval. Records without a key still move to another partition every 10 ms (librdkafka's
        // default at a 5 ms linger), not every twice the linger: a 200 ms burst of output all went to
        // one partition, more than the embedded broker keeps of it (DESIGN.md §4).
        // The queue must hold a linger's worth of output, or a full queue waits the linger out (at
        // 8 MiB and 100 ms, throughput halved): 12 MiB holds 50 ms at a million records/s of 230
        // bytes. At 16 MiB and 100 ms the passthrough's peak RSS was 95-103 MB; at 12 MiB and 50 ms
        // 87-90 MB, at the same CPU (and the windowed count's 87-91 MB against 95-98).
        let producerConfig = ProducerConfig(
            client: client, transactionalID: exactlyOnce ? transactionalID : nil, linger: .milliseconds(50),
            stickyPartitioningLinger: .milliseconds(10), bufferBytes: 12 << 20)
        let producer = try KafkaProducer(config: producerConfig, logger: logger)
        if exactlyOnce {
            // Inputs and restores read read_committed: the default of every ConsumerConfig.
            // Fences any older producer with this id (a zombie of this thread) and aborts what it
            // left open, before this thread reads anything.
            try producer.initTransactions(timeout: .seconds(60))
            logger.info("transactional producer ready", metadata: ["transactional.id": "\(transactionalID)"])
        }
        collector = KafkaRecordCollector(producer: producer, transactional: exactlyOnce)
        restorer = StateRestorer(client: client, applicationID: plan.applicationID, logger: logger)
        try consumer.subscribe(plan.subtopologies.flatMap(\.sourceTopics))
    }

    /// `runBatch`; under exactly-once a failed send inside the transaction aborts and rewinds
    /// instead of stopping the thread.
    private func runOnce() throws {
        if rewindRequested {
            rewindRequested = false
            try rewindTasks()
        }
        do {
            try runBatch()
        } catch {
            guard let cause = abortable(error) else { throw error }
            try abort(because: cause, rewind: true)
        }
    }

    /// One micro-batch (after a restore step, when stores are being restored), and a commit step
    /// when the interval has passed.
    private func runBatch() throws {
        if !restorer.isIdle {
            for id in try restorer.step(timeout: .milliseconds(20)) { try startProcessing(id) }
            snapshot.restoring = restorer.remainingRecords
            snapshot.observations.restoreProgress = restorer.progress
        }
        let linger = restorer.isIdle ? config.batchLinger : .zero
        let count = try consumer.poll(maxRecords: config.batchSize, timeout: linger) { batch in try handle(batch) }
        if !catchingUp.isEmpty { try advanceTableCatchUp() }
        if count > 0, state.processed.add(count, ordering: .relaxed).oldValue == 0 {
            state.firstRecords.withLock { $0 = $0 ?? .now }
        }
        collector.producer.poll()
        if state.queries[index].hasRequests { serveQueries() }
        if ContinuousClock.now - lastCommit >= config.commitInterval { try commit() }
        if index == 0 { try removeAbandonedState() }
    }

    /// Removes the state of tasks that left the worker more than `config.stateCleanupDelay`
    /// ago. One thread of the worker does it for all, as often as a tenth of the delay (at most
    /// once a minute, at least once a second): the stores share one database.
    private func removeAbandonedState() throws {
        let every = min(max(config.stateCleanupDelay / 10, .seconds(1)), .seconds(60))
        guard ContinuousClock.now - lastStateCleanup >= every else { return }
        lastStateCleanup = .now
        for range in try stores.removeAbandoned(config.stateCleanupDelay) {
            logger.info("removed the state of a task that left", metadata: ["store": "\(range.store)", "partition": "\(range.partition)"])
        }
    }

    /// Takes a micro-batch through the tasks, depth-first, record by record.
    /// - Returns: the records processed (not those sent back to wait for their task).
    private func handle(_ batch: ConsumerBatch) throws -> Int {
        for error in batch.errors {
            if error.isFatal { throw StreamsError(.fatal, "consumer: \(error.reason)", underlying: error) }
            snapshot.observations.consumerErrors += 1
            logger.warning("consumer error", metadata: ["error": "\(error)"])
        }
        for loss in batch.losses {
            snapshot.lostRecords += loss.lostRecords ?? 0
            logger.error("input lost before it was read", metadata: ["loss": "\(loss)"])
        }
        // The loop works on local copies: a class's stored properties are checked for exclusive
        // access at run time on every use, and this loop runs once per record.
        var pending = self.pending
        self.pending = []
        defer { self.pending = pending }
        observer.batchStarted()
        defer { observer.batchEnded() }
        let holding = !heldForTables.isEmpty
        var skipped = 0
        var sentBack = Set<TopicPartition>()
        // A partition's records come in runs: its task is looked up, and its next offset stored,
        // once per run rather than per record (each lookup retained and released the slot's row
        // and the task; each store checked two arrays for uniqueness).
        var run = Run()
        defer { run.store(in: &pending) }
        for i in 0..<batch.count {
            batch.prefetch(after: i)
            let r = batch[i]
            let sub = route(r.topicID, r.topic, &pending)
            observer.enter(sub)
            if r.topicID != run.topicID || r.partition != run.partition {
                run.store(in: &pending)
                let task = sub >= 0 && Int(r.partition) < slots[sub].count ? slots[sub][Int(r.partition)] : nil
                run = Run(topicID: r.topicID, partition: r.partition, task: task.map(Unmanaged.passUnretained))
            }
            guard let task = run.task else {
                // Only the partition's first such record rewinds it: later ones follow it.
                if sub >= 0, sentBack.insert(TopicPartition(r.topic, r.partition)).inserted {
                    try replay(TopicPartition(r.topic, r.partition), from: r.offset)
                }
                skipped += 1
                continue
            }
            if holding, heldForTables.contains(TopicPartition(r.topic, r.partition)) {
                if sentBack.insert(TopicPartition(r.topic, r.partition)).inserted {
                    try holdBack(TopicPartition(r.topic, r.partition), from: r.offset)
                }
                skipped += 1
                continue
            }
            let raw = RawRecord(
                topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key,
                value: r.value, headers: r.lentHeaders)
            guard task._withUnsafeGuaranteedRef({ $0.process(raw) }) else {
                let task = task.takeUnretainedValue()
                throw StreamsError(.fatal, "task \(task.id) failed: \(task.context.failure!)", underlying: task.context.failure as? KafkaError)
            }
            run.next = r.offset + 1
        }
        return batch.count - skipped
    }

    /// The records of one partition that follow one another in a batch.
    private struct Run {
        var topicID = -1
        var partition: Int32 = -1
        /// Unmanaged: `slots` holds the task for the whole batch, and a reference here was
        /// retained and released around every call.
        var task: Unmanaged<StreamTask>?
        /// The offset after the run's last processed record (`-1`: none processed yet).
        var next: Int64 = -1

        /// Notes the run's progress in `pending` (next offset per topic id and partition).
        func store(in pending: inout [[Int64]]) {
            guard next >= 0 else { return }
            let p = Int(partition)
            if p >= pending[topicID].count { pending[topicID] += Array(repeating: -1, count: p + 1 - pending[topicID].count) }
            pending[topicID][p] = next
        }
    }

    /// A record arrived for a task that is not processing (still restoring): it must not be lost,
    /// so the partition goes back to it and waits, paused, until the task runs.
    private func replay(_ tp: TopicPartition, from offset: Int64) throws {
        try consumer.seek([TopicPartitionOffset(tp, offset: offset)], timeout: .seconds(10))
        try consumer.pause([tp])
        pausedForRestore.insert(tp)
    }

    func route(_ topicID: Int, _ topic: String, _ pending: inout [[Int64]]) -> Int {
        if topicID < routes.count, routes[topicID] != -2 { return routes[topicID] }
        while routes.count <= topicID {
            routes.append(-2)
            pending.append([])
        }
        let sub = plan.subtopology(reading: topic) ?? -1
        routes[topicID] = sub
        topicNames[topicID] = topic
        return sub
    }

    private func shutDown() throws {
        try commit()
        try consumer.close()  // revokes (closing the tasks) and leaves the group
        try flush()
        restorer.close()
        publish()
        logger.info("stream thread stopped")
    }

    func publish() {
        var all = retired
        for task in tasks.values {
            for c in task.context.counts { all[c.node.name] = all[c.node.name].map { $0 + c } ?? c }
        }
        snapshot.counts = Array(all.values)
        snapshot.tasks = running.sorted()
        snapshot.restoringTasks = tasks.keys.filter { !running.contains($0) }.sorted()
        snapshot.restoredRecords = restorer?.restoredRecords ?? 0
        snapshot.observations.streamTimes = tasks.mapValues(\.context.streamTime)
        snapshot.observations.producerErrors = collector.producer.clientErrorCount + snapshot.rewinds
        state.publish(thread: index, snapshot)
    }
}
