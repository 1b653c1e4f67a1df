import ArgumentParser
import Foundation
import Sluice
import SluiceNexmark
import Topologies

/// `sluice nexmark`: Nexmark runs whose results can be set beside another engine's.
struct NexmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexmark", abstract: "Generate Nexmark events, run a query, dump its results.",
        subcommands: [NexmarkRunCommand.self, NexmarkGenerateCommand.self, NexmarkDumpCommand.self])
}

/// `sluice nexmark run q5`: on an embedded broker, Beam's events, one query until it has taken them all.
struct NexmarkRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one query over generated events on an embedded broker.",
        discussion: """
            Writes --events events of Beam's default configuration to the topic 'nexmark', runs the \
            query's topology until it has processed them all, stops it gracefully and prints a \
            summary on stderr. --dump prints the result topic as newline-delimited JSON on stdout.
            """)

    @Argument(help: "The query: q0, q1, q2, q3, q4, q5, q7, q8, q11 or q12.")
    var query: String

    @Option(help: "Events to generate.")
    var events = 100_000

    @Option(help: "Partitions of the event topic; by default enough for the embedded broker to hold every event.")
    var partitions: Int?

    @Flag(help: "Print the result topic as newline-delimited JSON.")
    var dump = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        guard let definition = TopologyRegistry.named("nexmark-\(query)") else {
            throw ValidationError("no Nexmark query \(query) (see `sluice list`)")
        }
        let logger = try logging.bootstrap(label: "sluice.nexmark-\(query)")
        // Events average about 330 bytes; the embedded broker keeps about 5 MiB per partition.
        let partitions = self.partitions ?? max(8, events * 700 / (4 << 20) + 1)
        let broker = try EmbeddedBroker()
        try broker.createTopic(NexmarkEvents.topic, partitions: partitions)
        try NexmarkEvents.produce(events, to: broker.bootstrapServers)
        let plan = try definition.plan()
        let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-nexmark-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let worker = try Worker(
            plan: plan, config: WorkerConfig(brokers: broker.bootstrapServers, stateDirectory: stateDirectory, defaultPartitions: partitions),
            logger: logger)
        try worker.start(embedded: broker)
        let started = ContinuousClock.now
        let drained = worker.drain(source: "events", records: events)
        try worker.stop()
        if let failure = worker.failure { throw failure }
        guard drained else {
            let taken = worker.snapshot.counts["events"]?.received ?? 0
            throw ValidationError("the query stopped moving after taking \(taken) of \(events) events")
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1) - 1  // less drain's quiet second
        let output = plan.outputTopics.first ?? "nexmark-\(query)"
        var results = 0
        try TopicReader.read(output, bootstrap: broker.bootstrapServers) { value in
            results += 1
            if dump { FileHandle.standardOutput.write(Data(value + [UInt8(ascii: "\n")])) }
        }
        let deadLettered = worker.snapshot.counts.values.reduce(0) { $0 + $1.deadLettered }
        FileHandle.standardError.write(Data(String(
            format: "nexmark %@: %d events in %.1f s (%.0f events/s), %d results in %@, %d dead-lettered (see %@-dlq)\n",
            query, events, seconds, Double(events) / max(seconds, 1e-9), results, output, deadLettered, plan.applicationID).utf8))
        if deadLettered > 0 {
            let reasons = try DeadLetterReasons.read("\(plan.applicationID)-dlq", bootstrap: broker.bootstrapServers)
            FileHandle.standardError.write(Data(reasons.description.utf8))
        }
    }
}

/// `sluice nexmark generate --brokers B`: Beam's events into a running cluster.
struct NexmarkGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write Nexmark events to a topic.")

    @Option(help: "Kafka bootstrap servers.")
    var brokers: String

    @Option(help: "Events to write.")
    var events = 1_000_000

    func run() throws {
        try NexmarkEvents.produce(events, to: brokers)
        print("\(events) events in \(NexmarkEvents.topic)")
    }
}

/// `sluice nexmark dump TOPIC --brokers B`: a topic's values, one per line.
struct NexmarkDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dump", abstract: "Print a topic's values as lines (NDJSON for JSON values).")

    @Argument var topic: String

    @Option(help: "Kafka bootstrap servers.")
    var brokers: String

    func run() throws {
        try TopicReader.read(topic, bootstrap: brokers) { value in FileHandle.standardOutput.write(Data(value + [UInt8(ascii: "\n")])) }
    }
}
