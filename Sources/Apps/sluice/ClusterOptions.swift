import ArgumentParser
import Sluice

/// `--brokers` and `-X`, for the tools that talk to a running application's cluster.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers (for the embedded broker of `sluice run`, the address it logs at start).")
    var brokers: String

    @Option(name: .customShort("X"), help: "A librdkafka property, key=value. Repeatable.")
    var property: [String] = []

    func validate() throws { _ = try properties() }

    func properties() throws -> [String: String] {
        var result: [String: String] = [:]
        for p in property {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw ValidationError("-X \(p): expected key=value") }
            result[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return result
    }

    func kafka(clientID: String) throws -> KafkaConfig {
        KafkaConfig(bootstrapServers: brokers, clientID: clientID, properties: try properties())
    }
}
