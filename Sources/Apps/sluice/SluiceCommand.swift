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

    /// ArgumentParser's entry point, after the parent watch is started.
    static func main() async {
        ParentWatch.startIfAsked()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
