internal import CRdKafka

extension KafkaConsumer {
    /// Commits `offsets` (each the next offset to read) for the group.
    ///
    /// A synchronous commit waits for its answer at most `timeout` (default: three request
    /// timeouts). librdkafka's own synchronous commit waits without bound, and librdkafka 2.0.2
    /// can leave a commit unanswered: one made in a revocation while the consumer closes hung a
    /// stopping worker for good. Such a commit ends as a retriable `.timedOut` error, its
    /// offsets uncommitted (their records are processed again: at-least-once).
    /// - Parameter async: return at once; a failure shows up in a later poll's `errors`.
    public func commit(_ offsets: [TopicPartitionOffset], async: Bool = false, timeout: Duration? = nil) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        if async {
            try rdCheck(.offsets, "commit") { rd_kafka_commit(client.handle, list.pointer, 1) }
            return
        }
        // A queue per commit: an answer that comes after the timeout must not be taken for the
        // next commit's. librdkafka keeps the queue alive while the request holds it.
        guard let answers = rd_kafka_queue_new(client.handle) else { throw KafkaError(.offsets, reason: "commit: no reply queue") }
        defer { rd_kafka_queue_destroy(answers) }
        try rdCheck(.offsets, "commit") { rd_kafka_commit_queue(client.handle, list.pointer, answers, nil, nil) }
        let wait = timeout ?? config.client.requestTimeout * 3
        guard let event = rd_kafka_queue_poll(answers, wait.milliseconds) else {
            throw KafkaError(.timedOut, reason: "commit of \(offsets.count) offsets: no answer within \(wait)", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(err, .offsets, context: "commit") }
        if let results = rd_kafka_event_topic_partition_list(event),
            let error = RDKafkaTopicPartitionList(borrowing: results).firstError(.offsets, context: "commit")
        {
            throw error
        }
    }

    /// The group's committed positions for `partitions` (`nil` where nothing is committed).
    public func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        try rdCheck(.offsets, "committed offsets") {
            rd_kafka_committed(client.handle, list.pointer, timeout.milliseconds)
        }
        if let error = list.firstError(.offsets, context: "committed offset of") { throw error }
        return list.offsets
    }

    /// The next offset this consumer will return per partition (`nil` before it fetched any).
    public func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        try rdCheck(.offsets, "positions") { rd_kafka_position(client.handle, list.pointer) }
        return list.offsets
    }

    /// Moves the consumer's positions; records already fetched for these partitions are dropped.
    public func seek(_ offsets: [TopicPartitionOffset], timeout: Duration) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: offsets.count)
        for o in offsets { list.add(o.topicPartition, offset: o.offset ?? Int64(RD_KAFKA_OFFSET_BEGINNING)) }
        try rdCheckError(.consumer, "seek") {
            rd_kafka_seek_partitions(client.handle, list.pointer, timeout.milliseconds)
        }
        if let error = list.firstError(.consumer, context: "seek") { throw error }
    }

    /// Stops fetching `partitions` until `resume`; the assignment is kept.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try rdCheck(.consumer, "pause") { rd_kafka_pause_partitions(client.handle, list.pointer) }
        if let error = list.firstError(.consumer, context: "pause") { throw error }
    }

    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try rdCheck(.consumer, "resume") { rd_kafka_resume_partitions(client.handle, list.pointer) }
        if let error = list.firstError(.consumer, context: "resume") { throw error }
    }

    /// Asks the partition's leader for its low and high watermarks (for lag: high minus committed).
    public func watermarks(_ tp: TopicPartition, timeout: Duration) throws(KafkaError) -> Watermarks {
        var low: Int64 = 0
        var high: Int64 = 0
        try rdCheck(.offsets, "watermarks of \(tp)") {
            rd_kafka_query_watermark_offsets(client.handle, tp.topic, tp.partition, &low, &high, timeout.milliseconds)
        }
        return Watermarks(low: low, high: high)
    }

    /// The group's identity for `KafkaProducer.sendOffsetsToTransaction` (exactly-once).
    public func groupMetadata() throws(KafkaError) -> ConsumerGroupMetadata {
        guard let m = rd_kafka_consumer_group_metadata(client.handle) else {
            throw KafkaError(.consumer, reason: "no consumer group metadata (not a group consumer)")
        }
        return ConsumerGroupMetadata(owning: m)
    }

    /// Sets start positions of newly assigned partitions: the committed offset, or else the
    /// earliest or latest per `offsetReset`. Explicit, so that `auto.offset.reset=error` fires only
    /// for positions the broker lost, where loss must be reported (DESIGN.md §4).
    func chooseStartPositions(_ list: RDKafkaTopicPartitionList) {
        let err = rd_kafka_committed(client.handle, list.pointer, 30_000)
        let fallback: Int64 =
            config.offsetReset == .latest ? Int64(RD_KAFKA_OFFSET_END) : Int64(RD_KAFKA_OFFSET_BEGINNING)
        try? list.forEach { e in
            if err != RD_KAFKA_RESP_ERR_NO_ERROR || e.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                // Unknown: leave it to librdkafka (which uses the committed offset when it can).
                e.pointee.offset = Int64(RD_KAFKA_OFFSET_INVALID)
                e.pointee.err = RD_KAFKA_RESP_ERR_NO_ERROR
            } else if e.pointee.offset < 0 {
                e.pointee.offset = fallback
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            client.events.record(KafkaError.from(err, .offsets, context: "committed offsets at assignment"))
        }
    }
}

/// A consumer group's identity and generation, owned (`rd_kafka_consumer_group_metadata_t`).
public final class ConsumerGroupMetadata: @unchecked Sendable {
    // @unchecked: immutable once created.
    let handle: OpaquePointer
    init(owning handle: OpaquePointer) { self.handle = handle }
    deinit { rd_kafka_consumer_group_metadata_destroy(handle) }
}
