internal import CRdKafka

/// Owns an `rd_kafka_conf_t` until `rd_kafka_new` takes it.
///
/// Wrapped before the first throwing `set`, so a bad property cannot leak the handle
/// (the pitfall of swift-kafka-client's `RDKafkaConfig`, STYLE.md "Pitfalls" §1).
final class RDKafkaConf {
    private var pointer: OpaquePointer?

    init(_ properties: [(String, String)]) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(.configuration, reason: "rd_kafka_conf_new returned NULL")
        }
        pointer = conf
        for (key, value) in properties { try set(key, value) }
    }

    deinit {
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    func set(_ key: String, _ value: String) throws(KafkaError) {
        guard let pointer else { throw KafkaError(.closed, reason: "configuration already handed to a client") }
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &errstr, errstr.count)
        if result != RD_KAFKA_CONF_OK {
            let detail = cString(errstr)
            throw KafkaError(.configuration, reason: "property \(key): \(detail)")
        }
    }

    /// Runs `body` with the handle while it is still ours. Do not escape the pointer.
    func withPointer<R>(_ body: (OpaquePointer) -> R) -> R? {
        pointer.map(body)
    }

    /// Gives up ownership: call only once `rd_kafka_new` has succeeded (it frees the conf then,
    /// and only then; on failure the conf is still ours and `deinit` frees it).
    func relinquish() { pointer = nil }
}
