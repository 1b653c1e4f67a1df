import CoreMetrics
import Foundation
public import Logging
import SluiceOperators
public import SluiceTopology
import Synchronization

/// Runs a topology: N stream threads sharing the topology's partitions with every other worker of
/// the same application id (DESIGN.md §3).
///
/// ```swift
/// let worker = try Worker(plan: TopologyPlan(CleanClicks()), config: WorkerConfig(threads: 2), logger: logger)
/// try worker.start()
/// // ...
/// try worker.stop()   // finish the batch, commit, leave the group
/// ```
public final class Worker: @unchecked Sendable {
    // @unchecked: the mutable state (threads, broker) is set in `start` and read in `stop`, both
    // called by the owner in order; what threads share lives in `WorkerState`.
    public let plan: TopologyPlan
    public let config: WorkerConfig
    let logger: Logger
    let state: WorkerState
    /// Metrics, live status and registry heartbeat (`config.observability`).
    public let observability: WorkerObservability
    /// Interactive queries of the worker's state stores (`GET /stores/...`, `WorkerHTTPServer`).
    public let queries: InteractiveQueries
    private var threads: [Thread] = []
    /// The stores' backend, taken by each stream thread as it starts and let go of once they all
    /// ended: the stores' database then closes as the worker stops, not whenever the worker is
    /// released (a worker started again on the same state directory opens it anew). Set before
    /// the threads start and cleared after they ended, so they read it without a lock.
    private var stores: StateStores.Backend?
    /// Signalled when the global-table thread has ended (only when the plan has global tables).
    private var globalDone: DispatchSemaphore?
    private let finished = Mutex<Int>(0)
    private let done = DispatchSemaphore(value: 0)
    /// The embedded broker, when the worker started one.
    public private(set) var embeddedBroker: EmbeddedBroker?
    /// This worker's identity in its state directory (see `transactionalID(thread:)`); empty under at-least-once.
    public let processID: String

    /// Under exactly-once, the transactional id of stream thread `thread`:
    /// `<application id>-<process id>-<thread>`, as Kafka Streams' exactly_once_v2. Stable across
    /// restarts on the same state directory, so a restarted worker fences its predecessor;
    /// distinct between workers, so they never fence each other.
    public func transactionalID(thread: Int) -> String { "\(plan.applicationID)-\(processID)-\(thread)" }

    /// The bootstrap address the worker uses.
    public private(set) var bootstrapServers = ""

    public init(plan: TopologyPlan, config: WorkerConfig = WorkerConfig(), logger: Logger = .disabled) throws(StreamsError) {
        try config.validate()
        do {
            // Only transactional ids need it: an at-least-once worker leaves its directory alone until it starts.
            processID =
                config.guarantee == .exactlyOnce
                ? try StateDirectory(root: config.stateDirectory, applicationID: plan.applicationID).processID() : ""
        } catch {
            throw StreamsError(.configuration, "state directory \(config.stateDirectory) is not writable: \(error)")
        }
        self.plan = plan
        self.config = config
        self.logger = logger
        let factory = config.observability.metricsFactory ?? MetricsSystem.factory
        state = WorkerState(metrics: WorkerMetrics(plan: plan, factory: factory), threads: config.threads)
        observability = WorkerObservability(plan: plan, config: config.observability, state: state)
        queries = InteractiveQueries(plan: plan, state: state, observability: observability)
    }

    /// Connects (starting the embedded broker when `config.brokers` is `nil`), prepares topics and
    /// starts the stream threads. Returns once they run; the group join completes in the background.
    /// - Throws: `StreamsError` when the cluster is unreachable or the topics are not usable.
    public func start(embedded: EmbeddedBroker? = nil) throws {
        let broker: EmbeddedBroker?
        if let embedded {
            broker = embedded
        } else if config.brokers == nil {
            broker = try EmbeddedBroker(logger: logger)
            logger.notice("started the embedded broker", metadata: ["bootstrap": "\(broker!.bootstrapServers)"])
        } else {
            broker = nil
        }
        embeddedBroker = broker
        bootstrapServers = broker?.bootstrapServers ?? config.brokers!
        let client = KafkaConfig(bootstrapServers: bootstrapServers, clientID: plan.applicationID, properties: config.properties)
        let admin: KafkaAdmin
        do {
            admin = try KafkaAdmin.connect(client, embedded: broker, logger: logger)
        } catch {
            throw StreamsError(.topics, "cannot reach the cluster at \(bootstrapServers)", underlying: error)
        }
        let partitions = try TopicPreparation(plan: plan, admin: admin, config: config, logger: logger).run()
        queries.start(partitions: partitions.subtopologyWidths)
        let globals = try startGlobalTables(client: client, partitions: partitions)
        let directory = StateDirectory(root: config.stateDirectory, applicationID: plan.applicationID)
        let backend = try StateStores.backend(
            config.stateBackend, directory: directory, persistentStores: plan.stores.contains { $0.spec.kind != .buffer })
        stores = backend
        for i in 0..<config.threads {
            let thread = Thread { [self] in
                // Made on its own thread, which alone will ever touch it. `stop` lets go of the
                // stores only after every thread ended, so each finds them here.
                StreamThread(
                    index: i, plan: plan, config: config, client: client, state: state,
                    stores: stores!, partitions: partitions, transactionalID: transactionalID(thread: i), mockBroker: admin.backend != .kafka, globals: globals,
                    logger: logger
                ).run()
                let count = finished.withLock { n in
                    n += 1
                    return n
                }
                if count == config.threads { done.signal() }
                // Any thread's end (a failure) stops the others: they share one fate.
                state.stopRequested.store(true, ordering: .releasing)
            }
            thread.name = "sluice-\(plan.applicationID)-\(i)"
            thread.stackSize = 8 << 20
            threads.append(thread)
        }
        for t in threads { t.start() }
        observability.start(admin: admin, client: client, logger: logger)
        logger.notice(
            "worker started",
            metadata: ["application": "\(plan.applicationID)", "threads": "\(config.threads)", "bootstrap": "\(bootstrapServers)"])
    }

    /// Asks the threads to finish their batch, commit and leave the group, and waits until they did.
    /// - Throws: the fatal error that stopped a thread, if one did.
    public func stop() throws(StreamsError) {
        state.stopRequested.store(true, ordering: .releasing)
        waitUntilStopped()
        stores = nil
        globalDone?.wait()
        observability.stop()
        if let failure = state.failure { throw failure }
    }

    /// Blocks until every thread has ended (after `stop`, or after a fatal error).
    public func waitUntilStopped() {
        guard !threads.isEmpty else { return }
        done.wait()
        done.signal()  // let later callers through too
    }

    /// Whether a thread hit a fatal error (the worker is stopping or stopped).
    public var failure: StreamsError? { state.failure }

    /// Input records taken through the operators so far, by every thread (updated per batch).
    public var processedRecords: Int { state.processed.load(ordering: .relaxed) }

    /// When the first records arrived (the consumer group had joined by then).
    public var firstRecordsAt: ContinuousClock.Instant? { state.firstRecords.withLock { $0 } }

    /// Counters and health, summed over threads, as of their last commit step.
    public var snapshot: WorkerSnapshot { state.snapshot }

    /// Runs until `shutdown` returns (e.g. a signal), then stops gracefully.
    public func run(until shutdown: @Sendable () async -> Void) async throws {
        try start()
        await shutdown()
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { [self] in c.resume(with: Result { try stop() }) }
        }
    }
}

extension Worker {
    /// Reads every global table to the end of its topic, then keeps it up to date on a thread of
    /// its own until the worker stops. - Returns: the stores, or `nil` when the plan has none.
    fileprivate func startGlobalTables(client: KafkaConfig, partitions: PartitionCounts) throws -> GlobalStores? {
        guard !plan.globalTables.isEmpty else { return nil }
        let stores = GlobalStores(plan.globalTables)
        let restored = DispatchSemaphore(value: 0)
        let restoreFailure = Mutex<StreamsError?>(nil)
        let done = DispatchSemaphore(value: 0)
        globalDone = done
        let thread = Thread { [plan, state, logger] in
            // Made on its own thread, which alone will ever touch it.
            do {
                let global = try GlobalStreamThread(
                    plan: plan, client: client, stores: stores, partitionCounts: partitions.topics, logger: logger)
                try global.restore()
                restored.signal()
                try global.run(until: state.stopRequested)
            } catch {
                let failure = (error as? StreamsError) ?? StreamsError(.fatal, "global tables: \(error)")
                logger.critical("global table thread failed", metadata: ["error": "\(failure)"])
                restoreFailure.withLock { $0 = failure }
                state.fail(failure)
                restored.signal()
            }
            done.signal()
        }
        thread.name = "sluice-\(plan.applicationID)-global"
        thread.start()
        restored.wait()
        if let failure = restoreFailure.withLock({ $0 }) { throw failure }
        return stores
    }
}
