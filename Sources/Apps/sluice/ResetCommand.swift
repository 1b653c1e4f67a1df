import ArgumentParser
import Foundation
import Sluice

/// `sluice reset APP`: Kafka Streams' application reset tool for Sluice applications.
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Reset an application so that its next run processes its input again.",
        discussion: """
            Rewinds the group's committed offsets of the input topics (to the earliest offset, or to
            the first record at or after --to-datetime), deletes the internal topics (on the
            embedded broker, which cannot delete topics, moves their committed offsets to the end
            instead) and removes the local state under --state-dir. Output topics are untouched.
            Refuses, exiting with status 1, while a worker of the application is alive.
            """)

    @Argument(help: "The application (see `sluice list`).")
    var topology: TopologyName

    @Flag(help: "Rewind the input to the earliest offsets (the default).")
    var toEarliest = false

    @Option(help: "Rewind the input to the first record at or after this time, ISO 8601 (2026-11-27T10:15:00Z; no offset means UTC).")
    var toDatetime: String?

    @Option(help: "Directory of local task state; <state-dir>/<application> is removed.")
    var stateDir = ".sluice-state"

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if toEarliest && toDatetime != nil { throw ValidationError("--to-earliest and --to-datetime exclude each other") }
        if let toDatetime, Self.parse(toDatetime) == nil {
            throw ValidationError("--to-datetime \(toDatetime): expected ISO 8601, e.g. 2026-11-27T10:15:00Z")
        }
    }

    func run() throws {
        let logger = try logging.bootstrap(label: "sluice.reset")
        let plan = try topology.plan()
        let position: ApplicationReset.Position = toDatetime.flatMap(Self.parse).map { .timestamp($0) } ?? .earliest
        let reset = ApplicationReset(
            plan: plan, config: try cluster.kafka(clientID: "sluice-reset"), stateDirectory: stateDir, position: position)
        let started = ContinuousClock.now
        let say = { (line: String) in
            let t = String(format: "%5.1fs", (ContinuousClock.now - started) / .seconds(1))
            FileHandle.standardOutput.write(Data("[\(t)] \(line)\n".utf8))
        }
        say("resetting \(plan.applicationID) at \(cluster.brokers) to " + (toDatetime.map { "the first records at or after \($0)" } ?? "the earliest offsets"))
        let outcome: ApplicationReset.Outcome
        do {
            outcome = try reset.run(logger: logger, progress: say)
        } catch let alive as ApplicationReset.WorkersAlive {
            FileHandle.standardError.write(Data("sluice reset: refused: \(alive)\n".utf8))
            throw ExitCode.failure
        }
        for o in outcome.rewound { say("rewound \(o.topicPartition) to offset \(o.offset.map(String.init) ?? "-")") }
        for t in outcome.deletedTopics { say("deleted internal topic \(t)") }
        for o in outcome.skippedToEnd { say("moved \(o.topicPartition) to its end, offset \(o.offset.map(String.init) ?? "-")") }
        if let state = outcome.removedState { say("removed local state \(state)") } else { say("no local state under \(stateDir)/\(plan.applicationID)") }
        for note in outcome.notes { say("note: \(note)") }
        say("done: \(outcome.rewound.count) input partitions rewound; the next run of \(plan.applicationID) processes them again")
    }

    /// Epoch milliseconds of an ISO 8601 date-time; UTC when it names no offset.
    static func parse(_ text: String) -> Int64? {
        var candidates = [text]
        let hasZone = text.hasSuffix("Z") || text.range(of: #"[+-]\d\d:?\d\d$"#, options: .regularExpression) != nil
        if !hasZone { candidates.append(text + "Z") }
        for candidate in candidates {
            for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = options
                if let date = formatter.date(from: candidate) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            }
        }
        return nil
    }
}
