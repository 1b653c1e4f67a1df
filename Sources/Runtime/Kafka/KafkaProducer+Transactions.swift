internal import CRdKafka

/// The transactional API (DESIGN.md §3, exactly-once). Every call blocks the calling thread.
///
/// Errors carry librdkafka's classification: `isRetriable` (call again), `requiresAbort`
/// (abort the transaction, rewind, go on), `isFatal` (fenced or broken: close the producer).
extension KafkaProducer {
    /// Registers the transactional id with the coordinator and fences older producers using it.
    /// - Throws: `KafkaError` with `.transaction`, or `.configuration` when `transactionalID` is unset.
    public func initTransactions(timeout: Duration) throws(KafkaError) {
        guard config.transactionalID != nil else {
            throw KafkaError(.configuration, reason: "initTransactions needs ProducerConfig.transactionalID")
        }
        try rdCheckError(.transaction, "init transactions") {
            rd_kafka_init_transactions(client.handle, timeout.milliseconds)
        }
    }

    public func beginTransaction() throws(KafkaError) {
        try rdCheckError(.transaction, "begin transaction") { rd_kafka_begin_transaction(client.handle) }
    }

    /// Adds consumed positions to the open transaction, so they commit with its output.
    /// - Parameter offsets: the next offset to read per partition.
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartitionOffset], groupMetadata: ConsumerGroupMetadata, timeout: Duration
    ) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        try rdCheckError(.transaction, "send offsets to transaction") {
            rd_kafka_send_offsets_to_transaction(client.handle, list.pointer, groupMetadata.handle, timeout.milliseconds)
        }
    }

    /// Flushes and commits the open transaction.
    public func commitTransaction(timeout: Duration) throws(KafkaError) {
        try rdCheckError(.transaction, "commit transaction") {
            rd_kafka_commit_transaction(client.handle, timeout.milliseconds)
        }
        // Failed deliveries would already have failed the commit; clear what they left.
        _ = client.events.takeDeliveryFailures()
    }

    /// Aborts the open transaction; its records are never visible to read_committed consumers.
    public func abortTransaction(timeout: Duration) throws(KafkaError) {
        try rdCheckError(.transaction, "abort transaction") {
            rd_kafka_abort_transaction(client.handle, timeout.milliseconds)
        }
        _ = client.events.takeDeliveryFailures()
    }
}
