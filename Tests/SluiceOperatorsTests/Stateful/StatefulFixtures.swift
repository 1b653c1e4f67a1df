import SluiceOperators
import SluiceTesting
import SluiceTopology

/// A driver for a plan made of `pipelines`, with `partitions` for every topic unless given.
func statefulDriver(partitions: Int = 1, _ pipelines: [Pipeline]) throws -> TopologyTestDriver {
    try TopologyTestDriver(plan: TopologyPlan(applicationID: "agg", pipelines: pipelines), defaultPartitions: partitions)
}

/// Windowed counts written as `key@start-end` strings, for readable assertions.
func windowLabel(_ w: Windowed<String>) -> String { "\(w.key)@\(w.window.start)-\(w.window.end)" }

extension TopologyTestDriver {
    var words: TestInputTopic<String, String> { input("words", key: .string, value: .string) }

    /// The latest value per windowed key on `topic` (a table's changes, in order).
    func latestWindowCounts(_ topic: String) throws -> [String: Int64] {
        var latest: [String: Int64?] = [:]
        for r in try output(topic, key: .windowed(.string), value: .int64.optional).readRecords() {
            latest[windowLabel(r.key)] = .some(r.value)
        }
        return latest.compactMapValues { $0 }
    }
}


/// A collector that drops what it is sent: for store tests that do not look at changelogs.
final class DiscardingCollector: RecordCollector {
    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders,
        timestamp: Int64
    ) throws {}
}
