import ArgumentParser
import Foundation
import Sluice
import Topologies

/// `sluice list`: the topologies of `topologies/`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the topologies this build knows.")

    func run() {
        let width = TopologyRegistry.all.map { $0.applicationID.count }.max() ?? 0
        for t in TopologyRegistry.all {
            print(t.applicationID.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + t.summary)
        }
    }
}

/// A topology named on the command line.
struct TopologyName: ExpressibleByArgument {
    let type: any TopologyDefinition.Type

    init?(argument: String) {
        guard let type = TopologyRegistry.named(argument) else { return nil }
        self.type = type
    }

    static var allValueStrings: [String] { TopologyRegistry.all.map { $0.applicationID } }

    func plan() throws -> TopologyPlan {
        do {
            return try type.plan()
        } catch {
            throw ValidationError("\(type.applicationID): \(error)")
        }
    }
}
