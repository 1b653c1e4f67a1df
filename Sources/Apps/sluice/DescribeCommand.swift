import ArgumentParser
import Sluice
import Topologies

/// `sluice describe NAME`: the plan, as Kafka Streams' TopologyDescription or as Mermaid.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Print a topology's plan.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, mermaid
    }

    @Argument(help: "The topology (see `sluice list`).")
    var topology: TopologyName

    @Option(help: "text (Kafka Streams' layout) or mermaid.")
    var format: Format = .text

    func run() throws {
        let plan = try topology.plan()
        switch format {
        case .text: print(plan.describe(), terminator: "")
        case .mermaid: print(plan.mermaid(), terminator: "")
        }
    }
}
