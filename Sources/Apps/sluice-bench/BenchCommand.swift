import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Sluice's benchmarks: ratios to the raw librdkafka pipe, measured in one run.",
        subcommands: [
            RunBench.self, PipeCommand.self, TopologyCommand.self, PrepareCommand.self, NexmarkCommand.self, NexmarkInProcessCommand.self,
            TopologyInProcessCommand.self,
        ],
        defaultSubcommand: RunBench.self)
}
