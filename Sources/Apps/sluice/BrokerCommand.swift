import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Sluice
import UnixSignals

/// `sluice broker`: the embedded broker as a process of its own, for multi-process tests and demos.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an embedded Kafka broker (librdkafka's mock cluster) until SIGTERM or SIGINT.",
        discussion: """
            The first line of standard output is the bootstrap address; the second is the control
            channel's URL (`control=http://127.0.0.1:PORT`), which creates topics with a partition
            count, takes brokers down and up, and injects request errors. Workers find the channel
            through the broker itself, so `--brokers <bootstrap>` is all they need.
            """)

    @Option(help: "Number of brokers.")
    var brokers = 1

    @Option(help: "Partitions of each --topic given without a count.")
    var partitions = 4

    @Option(name: .customLong("topic"), help: "A topic to create, as NAME or NAME:PARTITIONS. Repeatable.")
    var topics: [String] = []

    @Option(help: "Port of the control channel on 127.0.0.1 (0: any free port).")
    var controlPort = 0

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
        _ = try parsedTopics()
    }

    func parsedTopics() throws -> [(String, Int)] {
        try topics.map { spec in
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard let name = parts.first, !name.isEmpty, parts.count <= 2 else {
                throw ValidationError("--topic \(spec): expected NAME or NAME:PARTITIONS")
            }
            guard parts.count == 2 else { return (String(name), partitions) }
            guard let count = Int(parts[1]), count >= 1 else {
                throw ValidationError("--topic \(spec): partitions must be a positive number")
            }
            return (String(name), count)
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "sluice.broker")
        let broker = try EmbeddedBroker(brokers: brokers, logger: logger)
        for (name, count) in try parsedTopics() { try broker.createTopic(name, partitions: count) }
        let app = BrokerControlServer.application(for: broker, port: controlPort, logger: logger) { url in
            do {
                try broker.announceControlChannel(url)
            } catch {
                logger.error("could not announce the control channel", metadata: ["error": "\(error)"])
            }
            // Unbuffered, so that a parent process reading a pipe sees the addresses at once.
            FileHandle.standardOutput.write(Data("\(broker.bootstrapServers)\ncontrol=\(url)\n".utf8))
            logger.notice(
                "embedded broker running",
                metadata: ["bootstrap": "\(broker.bootstrapServers)", "control": "\(url)", "brokers": "\(brokers)"])
        }
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("embedded broker stopped")
    }
}
