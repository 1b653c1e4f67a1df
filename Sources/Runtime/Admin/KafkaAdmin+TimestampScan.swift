import Foundation

extension KafkaAdmin {
    /// Finds, by reading each partition from its start, the first offset whose record timestamp is
    /// at or after `timestamp`: the embedded broker's stand-in for ListOffsets by timestamp, which
    /// its mock leaves unimplemented. Its partitions hold at most about 5 MiB (DESIGN.md §4), so a
    /// scan takes well under a second each.
    func scanForTimestamp(
        _ partitions: [TopicPartition], timestamp: Int64, progress: (TimestampScanProgress) -> Void
    ) throws(KafkaError) -> [TopicPartition: Int64?] {
        var result: [TopicPartition: Int64?] = [:]
        let consumer = try KafkaConsumer(
            config: ConsumerConfig(
                client: config, groupID: "_sluice-scan-\(UUID().uuidString)", isolation: .readUncommitted,
                offsetReset: .earliest),
            logger: logger)
        for tp in Set(partitions).sorted() {
            let marks = try consumer.watermarks(tp, timeout: config.requestTimeout)
            var found: Int64?? = nil
            var scanned: Int64 = 0
            let total = marks.high - marks.low
            progress(TimestampScanProgress(topicPartition: tp, scanned: 0, total: total, found: nil))
            if marks.high > marks.low {
                try consumer.assign([TopicPartitionOffset(tp, offset: marks.low)])
                let deadline = ContinuousClock.now + config.requestTimeout + .seconds(Int64(total / 100_000))
                var next = marks.low
                while found == nil, next < marks.high {
                    if ContinuousClock.now > deadline {
                        throw KafkaError(.timedOut, reason: "reading \(tp) for timestamp \(timestamp) stopped at offset \(next)")
                    }
                    let hit: Int64? = try consumeBatch(consumer) { r in
                        next = max(next, r.offset + 1)
                        scanned += 1
                        return (r.timestamp ?? -1) >= timestamp ? r.offset : nil
                    }
                    if let hit { found = .some(hit) }
                    progress(TimestampScanProgress(topicPartition: tp, scanned: scanned, total: total, found: nil))
                }
            }
            let answer: Int64? = found ?? nil
            result[tp] = .some(answer)
            progress(TimestampScanProgress(topicPartition: tp, scanned: scanned, total: total, found: .some(answer)))
        }
        try consumer.close()
        return result
    }

    /// Polls one batch; returns the first non-nil answer of `visit` (records after it are ignored).
    private func consumeBatch(_ consumer: KafkaConsumer, _ visit: (ConsumedRecord) -> Int64?) throws(KafkaError) -> Int64? {
        do {
            return try consumer.poll(maxRecords: 10_000, timeout: .milliseconds(200)) { batch -> Int64? in
                if let error = batch.errors.first(where: \.isFatal) { throw error }
                for i in 0..<batch.count {
                    if let hit = visit(batch[i]) { return hit }
                }
                return nil
            }
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.consumer, reason: "\(error)")
        }
    }
}
