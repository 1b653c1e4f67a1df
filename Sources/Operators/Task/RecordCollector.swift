public import SluiceTopology

/// Where a task's output records go: Kafka in a worker, memory in the TestDriver.
///
/// - Important: called on the task's thread; `key` and `value` are valid only during the call, so
///   an implementation copies them (librdkafka does, with `RD_KAFKA_MSG_F_COPY`).
public protocol RecordCollector: AnyObject {
    /// Queues a record. `partition` `nil` lets the partitioner choose (murmur2 of the key).
    /// - Throws: only when the record cannot be queued at all; the task then fails.
    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: RecordHeaders, timestamp: Int64) throws
}
