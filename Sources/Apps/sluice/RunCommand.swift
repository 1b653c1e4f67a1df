import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import Sluice
import Synchronization
import Topologies
import UnixSignals

/// `sluice run NAME`: a worker for one topology, until SIGTERM/SIGINT (or `--duration`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a worker for a topology.",
        // One paragraph (trailing backslashes): the help output wraps it to the terminal.
        discussion: """
            Without --brokers, an embedded broker starts in this process. --generate writes the \
            topology's sample input at the given rate, so it moves at once. SIGTERM or SIGINT finish \
            the batch, commit and leave the group; a fatal error exits with status 2. The worker \
            serves its dashboard at /, Prometheus metrics at /metrics and interactive queries of its \
            state stores at /stores (see --http-port; --advertised-url is where other workers send \
            queries for keys this one holds).
            """)

    @Argument(help: "The topology (see `sluice list`).")
    var topology: TopologyName

    @Option(help: "Kafka bootstrap servers; the embedded broker when absent.")
    var brokers: String?

    @Option(help: "Stream threads.")
    var threads = 1

    @Option(name: .customShort("X"), help: "A librdkafka property, key=value. Repeatable.")
    var property: [String] = []

    @Option(help: "Write the topology's sample input at this many records per second.")
    var generate: Int?

    @Option(help: "Stop gracefully after this many seconds.")
    var duration: Double?

    @Option(help: "Most records per micro-batch.")
    var batchSize = 5_000

    @Option(help: "Longest wait for a micro-batch to fill, in milliseconds.")
    var batchLingerMs = 50

    @Option(help: "Shortest time between commit steps, in milliseconds.")
    var commitIntervalMs = 1000

    @Option(help: "at-least-once (faster) or exactly-once (a Kafka transaction per commit interval).")
    var guarantee = "at-least-once"

    @Option(help: "Changes a store may get ahead of its checkpoint: the most a restart after a crash replays per store.")
    var checkpointChanges = 10_000

    @Option(help: "Directory for task state.")
    var stateDir = ".sluice-state"

    @Option(help: "Seconds the state of a task that moved to another worker stays on disk.")
    var stateCleanupDelaySeconds = 600

    @Option(help: "Partitions of topics created on the embedded broker.")
    var partitions = 4

    @Flag(inversion: .prefixedNo, help: "Print a live progress line.")
    var progress = true

    @OptionGroup var http: HTTPOptions

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try properties()
        if WorkerConfig.Guarantee(named: guarantee) == nil {
            throw ValidationError("--guarantee: expected at-least-once or exactly-once, not \(guarantee)")
        }
        if let generate, generate <= 0 { throw ValidationError("--generate must be positive") }
        if generate != nil && topology.type.samples == nil {
            throw ValidationError("\(topology.type.applicationID) has no sample input to generate")
        }
    }

    func properties() throws -> [String: String] {
        var result: [String: String] = [:]
        for p in property {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw ValidationError("-X \(p): expected key=value") }
            result[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return result
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "sluice.\(topology.type.applicationID)")
        let plan = try topology.plan()
        let config = WorkerConfig(
            brokers: brokers, threads: threads, batchSize: batchSize, batchLinger: .milliseconds(batchLingerMs),
            commitInterval: .milliseconds(commitIntervalMs), stateDirectory: stateDir, guarantee: WorkerConfig.Guarantee(named: guarantee)!, defaultPartitions: partitions,
            properties: try properties())
        let metrics = PrometheusMetrics()
        MetricsSystem.bootstrap(metrics.factory)  // only apps bootstrap (STYLE.md §13)
        var observed = config
        observed.checkpointChanges = checkpointChanges
        observed.stateCleanupDelay = .seconds(stateCleanupDelaySeconds)
        observed.observability.metricsFactory = metrics.factory
        observed.observability.advertisedURL = http.advertisedURL
        let worker = try Worker(plan: plan, config: observed, logger: logger)
        let service = WorkerService(
            worker: worker, generate: generate.map { ($0, topology.type.samples!) }, duration: duration.map { .milliseconds(Int($0 * 1000)) },
            progress: progress, logger: logger)
        let (port, note) = http.port()
        if let note { logger.notice("\(note)") }
        let server = DashboardService(
            worker: worker, metrics: metrics, host: http.httpHost, port: port, mayMove: http.httpPort == nil,
            advertise: http.advertisedURL == nil, logger: logger)
        // Shut down in reverse order: the worker drains and commits first, the endpoints go last.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: server),
                    .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as StreamsError {
            FileHandle.standardError.write(Data("sluice: \(plan.applicationID) stopped: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

