import ArgumentParser
import Foundation
import Sluice
import Topologies

/// `sluice-bench nexmark q5`: one Nexmark query in a worker of this process, until it has taken
/// `expected` events and everything they led to; then a graceful stop and the report.
struct NexmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nexmark", abstract: "Internal: a Nexmark query.")

    @Argument var query: String
    @Argument var bootstrap: String
    @Argument var group: String
    @Argument(help: "Ignored: queries read 'nexmark'.") var input: String
    @Argument(help: "Ignored: queries write their own topic.") var output: String
    @Argument var expected: Int
    @OptionGroup var state: BenchStateOptions

    func run() throws {
        let plan = try nexmarkPlan(query, group: group)
        try state.withDirectory(group: group) { try run(plan: plan, stateDirectory: $0) }
    }

    private func run(plan: TopologyPlan, stateDirectory: String) throws {
        let worker = try Worker(plan: plan, config: WorkerConfig(brokers: bootstrap, stateDirectory: stateDirectory))
        try worker.start()
        let drained = worker.drain(source: "events", records: expected)
        try worker.stop()
        // Less the quiet second `drain` waits to be sure nothing follows.
        let seconds = worker.firstRecordsAt.map { (ContinuousClock.now - $0) / .seconds(1) - 1 } ?? 0
        try ProcessReport.emit(
            records: worker.snapshot.counts["events"]?.received ?? 0, seconds: seconds,
            deadLettered: worker.snapshot.counts.values.reduce(0) { $0 + $1.deadLettered })
        if !drained { throw ExitCode.failure }
    }
}

/// The plan of Nexmark query `query` ("q5") under the application id `group`.
func nexmarkPlan(_ query: String, group: String) throws -> TopologyPlan {
    guard let definition = TopologyRegistry.named("nexmark-\(query)") else { throw ValidationError("no Nexmark query \(query)") }
    func plan<T: TopologyDefinition>(_ type: T.Type) throws -> TopologyPlan { try TopologyPlan(T(), applicationID: group) }
    return try plan(definition)
}
