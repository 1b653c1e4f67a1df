import Foundation
import Hummingbird
import Logging
import Sluice
import Synchronization
import Topologies

/// GETs `url` (blocking; libcurl). - Returns: the status and the body as text.
func httpGet(_ url: String, timeout: Duration = .seconds(5)) throws -> (status: Int, text: String) {
    let response = try HTTPClient().request("GET", url, timeout: timeout)
    return (response.status, response.text)
}

/// One sample of a Prometheus text exposition: `name{labels} value`.
struct PrometheusSample: Hashable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// The text format (version 0.0.4), parsed strictly: every sample belongs to a family with a
/// `# TYPE` line, label values are quoted, values are numbers. Anything else is a failure.
struct PrometheusText {
    var types: [String: String] = [:]
    var samples: [PrometheusSample] = []
    var problems: [String] = []

    init(_ text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) } else { problems.append("bad TYPE line: \(line)") }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let sample = Self.sample(line) else {
                problems.append("unparsable sample: \(line)")
                continue
            }
            samples.append(sample)
            if family(of: sample.name) == nil { problems.append("sample without a TYPE: \(sample.name)") }
        }
    }

    /// The family a sample name belongs to (histograms add `_bucket`, `_sum`, `_count`).
    func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return nil
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }
        return matching.count == 1 ? matching[0].value : nil
    }

    func all(_ name: String) -> [PrometheusSample] { samples.filter { $0.name == name } }

    private static func sample(_ line: String) -> PrometheusSample? {
        var name = ""
        var labels: [String: String] = [:]
        var rest = Substring(line)
        if let brace = line.firstIndex(of: "{") {
            name = String(line[..<brace])
            guard let close = line.lastIndex(of: "}") else { return nil }
            var body = line[line.index(after: brace)..<close]
            while !body.isEmpty {
                guard let eq = body.firstIndex(of: "="), body[body.index(after: eq)] == "\"" else { return nil }
                let key = String(body[..<eq]).trimmingCharacters(in: CharacterSet(charactersIn: ", "))
                var i = body.index(eq, offsetBy: 2)
                var value = ""
                while i < body.endIndex, body[i] != "\"" {
                    if body[i] == "\\" { i = body.index(after: i) }
                    value.append(body[i])
                    i = body.index(after: i)
                }
                guard i < body.endIndex else { return nil }
                labels[key] = value
                body = body[body.index(after: i)...]
            }
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = String(line[..<space])
            rest = line[space...]
        }
        let fields = rest.split(separator: " ")
        guard let first = fields.first, let value = Double(first == "+Inf" ? "inf" : String(first)) else { return nil }
        return PrometheusSample(name: name, labels: labels, value: value)
    }
}

/// A worker of `plan` running in this process on `broker`, with its HTTP endpoints on a free port
/// and its own Prometheus registry (no global bootstrap).
final class ObservedWorker: Sendable {
    let worker: Worker
    let metrics = PrometheusMetrics()
    let url: String
    private let server: Task<Void, any Error>

    init(plan: TopologyPlan, broker: EmbeddedBroker, configure: (inout WorkerConfig) -> Void = { _ in }) async throws {
        var config = WorkerConfig(batchSize: 500, commitInterval: .milliseconds(100))
        config.observability.metricsFactory = metrics.factory
        config.observability.sampleInterval = .milliseconds(250)
        configure(&config)
        let worker = try Worker(plan: plan, config: config)
        self.worker = worker
        try await blocking { try worker.start(embedded: broker) }
        let bound = AsyncStream<String>.makeStream()
        let app = WorkerHTTPServer.application(
            observability: worker.observability, metrics: metrics, queries: worker.queries, port: 0, logger: .disabled
        ) { url in
            worker.observability.advertise(url: url)
            bound.continuation.yield(url)
        }
        server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = bound.stream.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        self.url = url
    }

    /// Stops the worker (commit, leave the group, tombstone in the registry), then the server.
    func stop() async throws {
        let worker = self.worker
        try await blocking { try worker.stop() }
        server.cancel()
        _ = await server.result
    }
}

/// Writes `CleanEvents`' sample input at about `rate` records per second until stopped.
final class RawEventStream: Sendable {
    private let stopped = Atomic<Bool>(false)
    let sent = Atomic<Int>(0)

    init(bootstrap: String, rate: Int, from: Int = 0) {
        let thread = Thread { [self] in
            var next = from
            while !stopped.load(ordering: .relaxed) {
                let chunk = max(rate / 10, 1)
                try? produceRawEvents(next..<(next + chunk), bootstrap: bootstrap)
                next += chunk
                sent.store(next - from, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }
}

/// Runs `sluice ARGS` to completion. - Returns: its exit status and its combined output.
func runSluice(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> (status: Int32, output: String) {
    let child = try ChildProcess(arguments.first ?? "sluice", arguments)
    let deadline = ContinuousClock.now + timeout
    while child.process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
    let status = child.terminate(timeout: .seconds(5))
    return (status, child.text)
}

/// The rows of `sluice lag`'s partition table: topic, partition, committed (nil for `-`), end, lag.
func lagRows(_ output: String, topic: String) -> [(partition: Int32, committed: Int64?, end: Int64, lag: Int64)] {
    output.split(separator: "\n").compactMap { line in
        let f = line.split(separator: " ")
        guard f.count == 5, f[0] == topic, let p = Int32(f[1]), let end = Int64(f[3]), let lag = Int64(f[4]) else { return nil }
        return (p, Int64(f[2]), end, lag)
    }
}

/// Where test artifacts go: `.build/artifacts/` of this package (gitignored).
func artifactsDirectory(file: String = #filePath) throws -> URL {
    let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent(".build/artifacts")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
