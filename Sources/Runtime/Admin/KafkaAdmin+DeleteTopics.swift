internal import CRdKafka

extension KafkaAdmin {
    /// Whether this cluster can delete topics. The embedded broker cannot: librdkafka 2.0.2's mock
    /// has no DeleteTopics handler (DESIGN.md §4).
    public var canDeleteTopics: Bool { backend == .kafka }

    /// Deletes the topics (Kafka's DeleteTopics); a topic that does not exist is not an error.
    /// - Throws: `.admin` on the embedded broker (see `canDeleteTopics`), or naming the first topic
    ///   the broker refused to delete.
    public func deleteTopics(_ names: [String], timeout: Duration? = nil) throws(KafkaError) {
        guard !names.isEmpty else { return }
        guard canDeleteTopics else {
            throw KafkaError(.admin, reason: "the embedded broker cannot delete topics (no DeleteTopics handler)")
        }
        var requests: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for r in requests { rd_kafka_DeleteTopic_destroy(r) } }
        let timeout = timeout ?? config.requestTimeout
        try client.adminRequest(
            RD_KAFKA_ADMIN_OP_DELETETOPICS, "DeleteTopics", timeout: timeout,
            submit: { options, queue in
                var errstr = [CChar](repeating: 0, count: 512)
                _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.milliseconds, &errstr, errstr.count)
                rd_kafka_DeleteTopics(client.handle, &requests, requests.count, options, queue)
            },
            read: { (event) throws(KafkaError) in
                var count = 0
                let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
                for i in 0..<count {
                    guard let r = results?[i] else { continue }
                    let e = rd_kafka_topic_result_error(r)
                    if e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                        let name = String(cString: rd_kafka_topic_result_name(r))
                        let why = rd_kafka_topic_result_error_string(r).map { String(cString: $0) } ?? ""
                        throw KafkaError.from(e, .admin, context: "delete topic \(name): \(why)")
                    }
                }
            })
    }
}
