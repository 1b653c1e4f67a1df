internal import CRdKafka

// One place turns librdkafka's two error shapes (a bare `rd_kafka_resp_err_t` and an owned
// `rd_kafka_error_t *`) into `KafkaError` (STYLE.md "What to absorb" §4). Every C call that can fail
// goes through one of these; none of their results is ignored.

extension KafkaError {
    /// Classifies a bare response code. librdkafka only classifies `rd_kafka_error_t` objects,
    /// so the retriable and fatal sets below follow its documentation of the codes.
    static func from(
        _ err: rd_kafka_resp_err_t, _ code: Code, context: String, file: String = #fileID, line: Int = #line
    ) -> KafkaError {
        let reason = context + ": " + String(cString: rd_kafka_err2str(err))
        let mapped: Code
        switch err {
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT: mapped = .timedOut
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART: mapped = .unknownTopic
        case RD_KAFKA_RESP_ERR__FENCED, RD_KAFKA_RESP_ERR_PRODUCER_FENCED,
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
            mapped = .fenced
        case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET: mapped = .offsetOutOfRange
        default: mapped = code
        }
        return KafkaError(
            mapped, reason: reason, rdKafkaCode: err.rawValue, isRetriable: isRetriable(err),
            isFatal: isFatal(err), file: file, line: line)
    }

    /// Takes ownership of `error` and destroys it.
    static func consuming(
        _ error: OpaquePointer, _ code: Code, context: String, file: String = #fileID, line: Int = #line
    ) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let err = rd_kafka_error_code(error)
        let fatal = rd_kafka_error_is_fatal(error) != 0
        var mapped = code
        if err == RD_KAFKA_RESP_ERR__FENCED || err == RD_KAFKA_RESP_ERR_PRODUCER_FENCED { mapped = .fenced }
        if err == RD_KAFKA_RESP_ERR__TIMED_OUT { mapped = code == .transaction ? .transaction : .timedOut }
        return KafkaError(
            mapped, reason: context + ": " + String(cString: rd_kafka_error_string(error)),
            rdKafkaCode: err.rawValue, isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: fatal, requiresAbort: rd_kafka_error_txn_requires_abort(error) != 0,
            file: file, line: line)
    }

    private static func isRetriable(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL,
            RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__IN_PROGRESS,
            RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS, RD_KAFKA_RESP_ERR__RETRY, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            return true
        default:
            return false
        }
    }

    private static func isFatal(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__FATAL, RD_KAFKA_RESP_ERR__FENCED, RD_KAFKA_RESP_ERR_PRODUCER_FENCED,
            RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH, RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION,
            RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR__STATE:
            return true
        default:
            return false
        }
    }
}

/// Throws unless `err` is `RD_KAFKA_RESP_ERR_NO_ERROR`.
@inline(__always)
func rdCheck(
    _ code: KafkaError.Code, _ context: @autoclosure () -> String, file: String = #fileID, line: Int = #line,
    _ call: () -> rd_kafka_resp_err_t
) throws(KafkaError) {
    let err = call()
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
        throw KafkaError.from(err, code, context: context(), file: file, line: line)
    }
}

/// Throws if `call` returns an `rd_kafka_error_t *` (which is then destroyed).
@inline(__always)
func rdCheckError(
    _ code: KafkaError.Code, _ context: @autoclosure () -> String, file: String = #fileID, line: Int = #line,
    _ call: () -> OpaquePointer?
) throws(KafkaError) {
    if let error = call() {
        throw KafkaError.consuming(error, code, context: context(), file: file, line: line)
    }
}

/// The text of a NUL-terminated C buffer librdkafka wrote an error into.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
