import CoreMetrics
import Foundation
import Logging
import SluiceOperators
public import SluiceTopology
import Synchronization

/// What a worker tells about itself: its metrics (through swift-metrics), the live status behind
/// its dashboard, and its heartbeat in the application's worker registry.
///
/// A monitor thread samples the stream threads' published snapshots (never their hot path) every
/// `sampleInterval`, asks the brokers for end offsets to compute consumer lag, and writes a
/// heartbeat every `heartbeatInterval`. The HTTP endpoints read what it last sampled.
public final class WorkerObservability: Sendable {
    /// The application (consumer group) the worker belongs to.
    public let applicationID: String
    /// This worker's name in the registry (`ObservabilityConfig.instanceID`).
    public let instanceID: String
    /// The plan as a graph, for `/api/topology`.
    public let graph: TopologyGraph
    /// The other workers of the application, from the registry (read by interactive queries).
    public let peers = PeerDirectory()
    let config: ObservabilityConfig
    let metrics: WorkerMetrics
    private let plan: TopologyPlan
    private let state: WorkerState
    private let startedAt = epochMillis()
    private let url: Mutex<String?>
    private let latest: Mutex<WorkerStatus>
    private let sampler: Mutex<StatusSampler>
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    init(plan: TopologyPlan, config: ObservabilityConfig, state: WorkerState) {
        applicationID = plan.applicationID
        instanceID = config.instanceID
        graph = plan.graph
        self.config = config
        self.plan = plan
        self.state = state
        metrics = state.metrics
        url = Mutex(config.advertisedURL)
        latest = Mutex(.starting(applicationID: plan.applicationID, instanceID: config.instanceID, startedAt: startedAt))
        let samples = Int(config.lagHistory / max(config.sampleInterval, .milliseconds(10)))
        sampler = Mutex(StatusSampler(plan: plan, historyLength: samples))
    }

    /// Sets the URL the worker's heartbeats advertise (its HTTP server's, once it listens).
    public func advertise(url: String) { self.url.withLock { $0 = url } }

    /// The URL the heartbeats carry; `nil` until `advertise(url:)` or `ObservabilityConfig.advertisedURL`.
    public var advertisedURL: String? { url.withLock { $0 } }

    /// The status the monitor last sampled.
    public var status: WorkerStatus {
        var s = latest.withLock { $0 }
        s.url = advertisedURL
        s.state = stateName(tasks: s.tasks)
        s.failure = state.failure.map(\.description)
        return s
    }

    /// Brings the operator counters and other counters up to the threads' latest snapshot, so that
    /// a scrape agrees with `Worker.snapshot` at that moment.
    public func refreshMetrics() {
        let snapshot = state.snapshot
        metrics.update(snapshot, eventTimeLags: StatusSampler.eventTimeLags(snapshot, plan: plan, nowMs: epochMillis()))
    }

    /// Starts the monitor thread: it measures lag through the worker's `admin` and connects its
    /// heartbeats and registry to `client`'s cluster on its own.
    func start(admin: KafkaAdmin, client: KafkaConfig, logger: Logger) {
        guard config.enabled, !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            monitor(admin: admin, client: client, logger: logger)
            finished.signal()
        }
        thread.name = "sluice-\(applicationID)-monitor"
        thread.start()
    }

    /// Stops the monitor after its current sample and tells the registry the worker left.
    func stop() {
        guard started.load(ordering: .acquiring), !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        finished.wait()
    }

    private func monitor(admin: KafkaAdmin, client: KafkaConfig, logger: Logger) {
        var logger = logger
        logger[metadataKey: "sluice.instance"] = "\(instanceID)"
        var monitorClient = client
        monitorClient.clientID = "\(applicationID)-monitor"
        // The worker's own admin client: a second one (and, on the embedded broker, the consumer
        // that finds its control channel) cost a start-up and idle threads for nothing.
        let probe = ConsumerLagProbe(admin: admin, plan: plan)
        let heartbeats: HeartbeatPublisher?
        do {
            heartbeats = try HeartbeatPublisher(
                applicationID: applicationID, instanceID: instanceID, client: monitorClient, logger: logger)
        } catch {
            logger.error("no heartbeats: the registry will not list this worker", metadata: ["error": "\(error)"])
            heartbeats = nil
        }
        var tail: RegistryTail?
        var lastBeat: ContinuousClock.Instant?
        var lastTasks: (running: [TaskID], restoring: [TaskID]) = ([], [])
        var lagFailing = false
        while !stopping.load(ordering: .acquiring) {
            let snapshot = state.snapshot
            readRegistry(&tail, client: monitorClient, logger: logger)
            var lags: [PartitionLag] = []
            do {
                lags = try probe.measure(snapshot)
                if lagFailing { logger.notice("consumer lag measured again") }
                lagFailing = false
            } catch {
                if !lagFailing { logger.warning("consumer lag not measured", metadata: ["error": "\(error)"]) }
                lagFailing = true
            }
            sample(snapshot, lags: lags)
            // A changed assignment is told at once, so queries find the new owners soon.
            let tasks = (snapshot.tasks, snapshot.restoringTasks.sorted())
            let moved = tasks != lastTasks
            if let heartbeats, moved || lastBeat.map({ ContinuousClock.now - $0 >= config.heartbeatInterval }) ?? true {
                heartbeats.beat(heartbeat(snapshot))
                lastBeat = .now
                lastTasks = tasks
            }
            _ = wake.wait(timeout: .now() + .milliseconds(Int(config.sampleInterval.nanoseconds / 1_000_000)))
        }
        heartbeats?.leave()
    }

    /// Brings `peers` up to the registry topic, opening the tail on first use (and again after a failure).
    private func readRegistry(_ tail: inout RegistryTail?, client: KafkaConfig, logger: Logger) {
        do {
            if tail == nil { tail = try RegistryTail(applicationID: applicationID, client: client, logger: logger) }
            try tail?.poll(into: peers)
        } catch {
            if tail != nil { logger.warning("registry not read; queries may not find other workers", metadata: ["error": "\(error)"]) }
            tail = nil
        }
    }

    private func sample(_ snapshot: WorkerSnapshot, lags: [PartitionLag]) {
        let now = epochMillis()
        metrics.update(snapshot, eventTimeLags: StatusSampler.eventTimeLags(snapshot, plan: plan, nowMs: now))
        metrics.updateLag(lags)
        let base = latest.withLock { $0 }
        let next = sampler.withLock { $0.sample(snapshot, lags: lags, nowMs: now, base: base) }
        latest.withLock { $0 = next }
    }

    private func heartbeat(_ snapshot: WorkerSnapshot) -> WorkerHeartbeat {
        WorkerHeartbeat(
            instanceID: instanceID, applicationID: applicationID, url: advertisedURL,
            host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier,
            startedAt: startedAt, heartbeatAt: epochMillis(),
            intervalMs: Int64(config.heartbeatInterval.nanoseconds / 1_000_000), tasks: snapshot.tasks.map(\.description),
            restoringTasks: snapshot.restoringTasks.sorted().map(\.description))
    }

    private func stateName(tasks: [String]) -> String {
        if state.failure != nil { return "failed" }
        if state.stopRequested.load(ordering: .relaxed) { return "stopping" }
        if !started.load(ordering: .relaxed) { return "starting" }
        return tasks.isEmpty ? "joining" : "running"
    }
}
