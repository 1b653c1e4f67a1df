internal import CRdKafka

extension KafkaAdmin {
    /// The end offset (high watermark: one past the last record) of each partition, in one
    /// ListOffsets request per leader rather than one round trip per partition.
    /// - Throws: `KafkaError` when a partition is unknown or its leader does not answer.
    public func endOffsets(_ partitions: [TopicPartition], timeout: Duration? = nil) throws(KafkaError) -> [TopicPartition: Int64] {
        try listOffsets(partitions, at: Int64(RD_KAFKA_OFFSET_END), timeout: timeout).compactMapValues { $0 }
    }

    /// The earliest offset the broker still holds of each partition (the low watermark).
    public func beginningOffsets(_ partitions: [TopicPartition], timeout: Duration? = nil) throws(KafkaError) -> [TopicPartition: Int64] {
        try listOffsets(partitions, at: Int64(RD_KAFKA_OFFSET_BEGINNING), timeout: timeout).compactMapValues { $0 }
    }

    /// For each partition, the earliest offset whose record timestamp is at or after `timestamp`
    /// (milliseconds since the epoch); `nil` where every record is older (start at the end).
    ///
    /// Kafka answers this from its time index (ListOffsets by timestamp). The embedded broker
    /// answers every such request with -1 (librdkafka 2.0.2's mock leaves it unimplemented), so
    /// there the partitions are read from their start instead, which `progress` reports.
    /// - Parameter progress: called while partitions are scanned (embedded broker only).
    public func offsetsForTimes(
        _ partitions: [TopicPartition], timestamp: Int64, timeout: Duration? = nil,
        progress: (TimestampScanProgress) -> Void = { _ in }
    ) throws(KafkaError) -> [TopicPartition: Int64?] {
        guard timestamp >= 0 else { throw KafkaError(.configuration, reason: "a timestamp before 1970 finds nothing") }
        if backend != .kafka {
            return try scanForTimestamp(partitions, timestamp: timestamp, progress: progress)
        }
        return try listOffsets(partitions, at: timestamp, timeout: timeout)
    }

    /// `rd_kafka_offsets_for_times`: `at` is a timestamp or a logical offset (END, BEGINNING).
    private func listOffsets(_ partitions: [TopicPartition], at: Int64, timeout: Duration?) throws(KafkaError) -> [TopicPartition: Int64?] {
        guard !partitions.isEmpty else { return [:] }
        let list = RDKafkaTopicPartitionList(capacity: partitions.count)
        for tp in Set(partitions).sorted() { list.add(tp, offset: at) }
        try rdCheck(.offsets, "list offsets") {
            rd_kafka_offsets_for_times(client.handle, list.pointer, (timeout ?? config.requestTimeout).milliseconds)
        }
        if let error = list.firstError(.offsets, context: "list offsets of") { throw error }
        var result: [TopicPartition: Int64?] = [:]
        for o in list.offsets { result[o.topicPartition] = .some(o.offset) }
        return result
    }
}

/// How far a scan for a timestamp has come (see `KafkaAdmin.offsetsForTimes`).
public struct TimestampScanProgress: Sendable {
    public var topicPartition: TopicPartition
    /// Records read of this partition so far.
    public var scanned: Int64
    /// Records the partition holds.
    public var total: Int64
    /// The offset found, once the partition is done (`nil`: none at or after the timestamp).
    public var found: Int64??
}
