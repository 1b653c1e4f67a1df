import ArgumentParser

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Stream processing for Swift: topologies as Swift files, run on Kafka.",
        subcommands: [
            ListCommand.self, DescribeCommand.self, RunCommand.self, BrokerCommand.self, LagCommand.self, ResetCommand.self,
            NexmarkCommand.self,
        ])
}
