import ArgumentParser

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Stream processing for Swift: topologies as Swift files, run on Kafka.",
        subcommands: [BrokerCommand.self, DemoCommand.self])
}
