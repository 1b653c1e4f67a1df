import SluiceTesting
import SluiceTopology

/// A driver for join pipelines of the application `joins`.
func joinDriver(partitions: [String: Int] = [:], defaultPartitions: Int = 1, _ pipelines: [Pipeline]) throws -> TopologyTestDriver {
    try TopologyTestDriver(
        plan: TopologyPlan(applicationID: "joins", pipelines: pipelines), partitions: partitions, defaultPartitions: defaultPartitions)
}

extension TopologyTestDriver {
    func strings(_ topic: String) -> TestInputTopic<String, String> { input(topic, key: .string, value: .string) }
    func tableInput(_ topic: String) -> TestInputTopic<String, String?> { input(topic, key: .string, value: .string.optional) }

    /// `key=value@timestamp` for each record written to `topic` since the last read.
    func joined(_ topic: String = "out") throws -> [String] {
        try output(topic, key: .string, value: .string).readRecords().map { "\($0.key)=\($0.value)@\($0.timestamp)" }
    }

    /// `key=value`, or `key=<deleted>` for a tombstone, for each record written to `topic`.
    func changes(_ topic: String = "out") throws -> [String] {
        try output(topic, key: .string, value: .string.optional).readRecords().map { "\($0.key)=\($0.value ?? "<deleted>")" }
    }
}

/// Joined values as `left+right`, with `-` for a missing side.
@Sendable func pair(_ l: String?, _ r: String?) -> String { "\(l ?? "-")+\(r ?? "-")" }
