import ArgumentParser
import Foundation
import Sluice

/// `sluice-bench topology`: one bench topology in a worker of this process, until it has taken
/// `expected` records through; then a graceful stop (flush, commit) and the report.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topology", abstract: "Internal: a bench topology.")

    @Argument var name: String
    @Argument var bootstrap: String
    @Argument var group: String
    @Argument var input: String
    @Argument var output: String
    @Argument var expected: Int
    @Option var commitIntervalMs = 1000
    @Option var batchSize = 5_000
    @Option(help: "at-least-once or exactly-once.") var guarantee = "at-least-once"
    @Option(name: .customShort("X"), help: "librdkafka property key=value.") var property: [String] = []
    @OptionGroup var state: BenchStateOptions

    func run() throws {
        let plan = try BenchTopologies.plan(name, applicationID: group, input: input, output: output)
        let properties = Dictionary(uniqueKeysWithValues: property.map { p in
            let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
            return (kv[0], kv.count > 1 ? kv[1] : "")
        })
        guard let guarantee = WorkerConfig.Guarantee(named: guarantee) else {
            throw ValidationError("--guarantee: expected at-least-once or exactly-once, not \(guarantee)")
        }
        try state.withDirectory(group: group) { try run(plan: plan, guarantee: guarantee, properties: properties, stateDirectory: $0) }
    }

    private func run(plan: TopologyPlan, guarantee: WorkerConfig.Guarantee, properties: [String: String], stateDirectory: String) throws {
        let config = WorkerConfig(
            brokers: bootstrap, batchSize: batchSize, commitInterval: .milliseconds(commitIntervalMs), stateDirectory: stateDirectory,
            guarantee: guarantee, properties: properties)
        let worker = try Worker(plan: plan, config: config)
        try worker.start()
        // The table rows a topology reads are processed records too; the row reports the inputs.
        let tableRecords = BenchTopologies.tableRecords(name)
        let target = expected + tableRecords
        var lastProgress = (count: 0, at: ContinuousClock.now)
        while worker.processedRecords < target, worker.failure == nil {
            Thread.sleep(forTimeInterval: Self.pause(done: lastProgress.count, of: target, since: worker.firstRecordsAt))
            let n = worker.processedRecords
            if n != lastProgress.count {
                lastProgress = (n, .now)
            } else if ContinuousClock.now - lastProgress.at > .seconds(120) {
                break
            }
        }
        try worker.stop()
        let seconds = worker.firstRecordsAt.map { (ContinuousClock.now - $0) / .seconds(1) } ?? 0
        try ProcessReport.emit(
            records: worker.processedRecords - tableRecords, seconds: seconds,
            deadLettered: worker.snapshot.counts.values.reduce(0) { $0 + $1.deadLettered })
        if worker.processedRecords != target { throw ExitCode.failure }
    }

    /// How long the wait for the worker sleeps: half the time the remaining records need at the
    /// rate so far, from 5 to 100 ms. This process's CPU is the row's, and waking every 5 ms
    /// throughout cost it about 10 ms of CPU a second here (kernel and Foundation's sleep).
    static func pause(done: Int, of target: Int, since first: ContinuousClock.Instant?) -> TimeInterval {
        guard let first, done > 0 else { return 0.1 }
        let elapsed = (ContinuousClock.now - first) / .seconds(1)
        return min(max(elapsed * Double(target - done) / Double(done) / 2, 0.005), 0.1)
    }
}
