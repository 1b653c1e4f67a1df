internal import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`.
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    private let owned: Bool

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
        owned = true
    }

    /// Wraps a list librdkafka lends to a callback; it is not destroyed here.
    init(borrowing pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
        owned = false
    }

    /// Takes ownership of a list librdkafka returned (e.g. from `rd_kafka_assignment`).
    init(adopting pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
        owned = true
    }

    convenience init(_ partitions: [TopicPartition]) {
        self.init(capacity: partitions.count)
        for tp in partitions { add(tp, offset: nil) }
    }

    convenience init(_ offsets: [TopicPartitionOffset]) {
        self.init(capacity: offsets.count)
        for o in offsets { add(o.topicPartition, offset: o.offset) }
    }

    deinit {
        if owned { rd_kafka_topic_partition_list_destroy(pointer) }
    }

    func add(_ tp: TopicPartition, offset: Int64?) {
        let entry = rd_kafka_topic_partition_list_add(pointer, tp.topic, tp.partition)!
        entry.pointee.offset = offset ?? Int64(RD_KAFKA_OFFSET_INVALID)
    }

    var count: Int { Int(pointer.pointee.cnt) }

    /// Visits every element; the element pointer is valid only inside `body`.
    func forEach(_ body: (UnsafeMutablePointer<rd_kafka_topic_partition_t>) throws(KafkaError) -> Void) throws(KafkaError) {
        for i in 0..<count { try body(pointer.pointee.elems + i) }
    }

    var partitions: [TopicPartition] {
        (0..<count).map { i in
            let e = pointer.pointee.elems[i]
            return TopicPartition(String(cString: e.topic), e.partition)
        }
    }

    /// Offsets as Sluice reports them: logical offsets (`INVALID`, `BEGINNING`, ...) become `nil`.
    var offsets: [TopicPartitionOffset] {
        (0..<count).map { i in
            let e = pointer.pointee.elems[i]
            return TopicPartitionOffset(
                TopicPartition(String(cString: e.topic), e.partition), offset: e.offset >= 0 ? e.offset : nil)
        }
    }

    /// The first per-partition error in the list, if any.
    func firstError(_ code: KafkaError.Code, context: String) -> KafkaError? {
        for i in 0..<count {
            let e = pointer.pointee.elems[i]
            if e.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError.from(e.err, code, context: "\(context) \(String(cString: e.topic))[\(e.partition)]")
            }
        }
        return nil
    }
}
