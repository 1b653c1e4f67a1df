import Foundation
import SluiceOperators
import SluiceTopology

extension Worker {
    /// Waits until the source `source` has taken `records` records and everything they led to
    /// went through: nothing processed for `quiet`, and the committed offsets of every topic the
    /// worker reads (repartition topics included) at those topics' ends. For runs over a fixed
    /// input (benchmarks, `sluice nexmark run`), where `processedRecords` also counts the records
    /// of internal topics, and a pause alone may be a repartition topic's records still on the way.
    /// - Returns: `false` if the worker failed or nothing moved for `stall`.
    public func drain(source: String, records: Int, quiet: Duration = .seconds(1), stall: Duration = .seconds(120)) -> Bool {
        let admin = try? KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrapServers))
        var last = (count: -1, at: ContinuousClock.now)
        while failure == nil {
            Thread.sleep(forTimeInterval: 0.01)
            let processed = processedRecords
            if processed != last.count {
                last = (processed, .now)
                continue
            }
            let idle = ContinuousClock.now - last.at
            if idle >= stall { return false }
            guard idle >= quiet, (snapshot.counts[source]?.received ?? 0) >= records else { continue }
            if let admin, !caughtUp(admin) { continue }
            return true
        }
        return false
    }

    /// Whether the committed offset of every partition the worker reads is that partition's end.
    private func caughtUp(_ admin: KafkaAdmin) -> Bool {
        let committed = snapshot.observations.committedOffsets
        for topic in Set(plan.subtopologies.flatMap(\.sourceTopics)) {
            guard let marks = try? admin.watermarks(topic, timeout: .seconds(5)) else { return false }
            for (partition, mark) in marks where mark.high > mark.low {
                if (committed[TopicPartition(topic, partition)] ?? mark.low) < mark.high { return false }
            }
        }
        return true
    }
}
