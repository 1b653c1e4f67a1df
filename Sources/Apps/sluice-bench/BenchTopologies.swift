import Sluice

/// The click event of the bench input, as the JSON rows decode it.
struct BenchClick: Codable, Sendable {
    struct Session: Codable, Sendable {
        var id: String
        var device: String
        var country: String
    }
    var event_id: String
    var user_id: String
    var type: String
    var ts: Int64
    var page: String
    var session: Session
    var value: Double
}

/// What the JSON row writes: a smaller, reshaped event.
struct BenchClickSummary: Codable, Sendable {
    var user: String
    var page: String
    var device: String
    var cents: Int64
}

/// The topologies the bench measures, over the bench input.
enum BenchTopologies {
    static let names = ["passthrough", "json-filter-map"]

    static func plan(_ name: String, applicationID: String, input: String, output: String) throws -> TopologyPlan {
        let pipeline: Pipeline
        switch name {
        case "passthrough":
            pipeline = Stream(input, key: .bytes, value: .bytes).to(output)
        case "json-filter-map":
            pipeline = Stream(input, key: .string, value: .json(BenchClick.self))
                .filter { _, click in click.type == "click" }
                .mapValues { click in
                    BenchClickSummary(user: click.user_id, page: click.page, device: click.session.device, cents: Int64(click.value * 100))
                }
                .to(output, value: .json())
        default:
            throw TopologyError(["no bench topology \(name)"])
        }
        return try TopologyPlan(applicationID: applicationID, pipelines: [pipeline])
    }

    /// Records the topology writes for `records` bench inputs.
    static func expectedOutput(_ name: String, records: Int) -> Int {
        switch name {
        case "json-filter-map": (0..<records).filter { $0 % 3 == 0 }.count  // BenchInput: type "click" when i % 3 == 0
        default: records
        }
    }
}
