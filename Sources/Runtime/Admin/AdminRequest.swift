internal import CRdKafka

extension RDKafkaClient {
    /// Runs one librdkafka admin request and reads its result event.
    ///
    /// `submit` queues the request with the options and the reply queue it is given; `read` looks at
    /// the result event, which is destroyed when `read` returns (do not escape it). Blocks the
    /// calling thread for up to `timeout` plus a second: call it from a thread of its own.
    /// - Throws: `.timedOut` when no result arrives; the request-level error, if any; what `read` throws.
    func adminRequest<R>(
        _ op: rd_kafka_admin_op_t, _ name: String, timeout: Duration,
        submit: (_ options: OpaquePointer, _ queue: OpaquePointer) -> Void,
        read: (_ event: OpaquePointer) throws(KafkaError) -> R
    ) throws(KafkaError) -> R {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let queue = rd_kafka_queue_new(handle) else {
            throw KafkaError(.admin, reason: "\(name): no reply queue")
        }
        defer { rd_kafka_queue_destroy(queue) }
        guard let options = rd_kafka_AdminOptions_new(handle, op) else {
            throw KafkaError(.admin, reason: "\(name): no admin options")
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        try rdCheck(.admin, "\(name) timeout") {
            rd_kafka_AdminOptions_set_request_timeout(options, timeout.milliseconds, &errstr, errstr.count)
        }
        submit(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 1000) else {
            throw KafkaError(.timedOut, reason: "\(name): no answer within \(timeout)", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let why = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            throw KafkaError.from(err, .admin, context: "\(name): \(why)")
        }
        return try read(event)
    }
}

/// A group result's error and partitions (ListConsumerGroupOffsets, AlterConsumerGroupOffsets).
/// - Throws: the group-level error, or the first partition's.
func groupResultOffsets(
    _ groups: UnsafeMutablePointer<OpaquePointer?>?, count: Int, context: String
) throws(KafkaError) -> [TopicPartitionOffset] {
    guard count > 0, let group = groups?[0] else {
        throw KafkaError(.admin, reason: "\(context): the answer names no group")
    }
    if let error = rd_kafka_group_result_error(group) {
        let code = rd_kafka_error_code(error)
        throw KafkaError.from(code, .admin, context: "\(context): " + String(cString: rd_kafka_error_string(error)))
    }
    guard let partitions = rd_kafka_group_result_partitions(group) else { return [] }
    let list = RDKafkaTopicPartitionList(borrowing: UnsafeMutablePointer(mutating: partitions))
    if let error = list.firstError(.offsets, context: context) { throw error }
    return list.offsets
}
