internal import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and the context its C callbacks reach through `rd_kafka_opaque`.
///
/// The handle is destroyed in `deinit` *before* `events` is released, so no callback can run
/// against a freed context (destruction order is written here, not left to property order:
/// STYLE.md "Pitfalls" §6).
final class RDKafkaClient: @unchecked Sendable {
    // @unchecked: librdkafka handles are thread-safe; the only Swift state is `events`, which is Sendable.
    enum Kind { case producer, consumer }

    /// The `rd_kafka_t *`. Internal to the Kafka layer; never returned from a public API.
    let handle: OpaquePointer
    let events: ClientEvents
    let kind: Kind

    init(kind: Kind, conf: RDKafkaConf, logger: Logger) throws(KafkaError) {
        let events = ClientEvents(logger: logger)
        var errstr = [CChar](repeating: 0, count: 512)
        let created: OpaquePointer? = conf.withPointer { conf -> OpaquePointer? in
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(events).toOpaque())
            rd_kafka_conf_set_error_cb(conf, clientErrorCallback)
            rd_kafka_conf_set_log_cb(conf, clientLogCallback)
            if kind == .producer { rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback) }
            return rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errstr, errstr.count)
        } ?? nil
        guard let created else {
            // rd_kafka_new frees the conf only on success; on failure `conf`'s deinit does.
            let detail = cString(errstr)
            throw KafkaError(.clientCreation, reason: detail)
        }
        conf.relinquish()
        self.handle = created
        self.events = events
        self.kind = kind
    }

    deinit {
        rd_kafka_destroy(handle)
        // `events` is released after this body returns, once no callback can reach it.
    }

    /// Serves queued callbacks (delivery reports, errors) on the calling thread.
    func poll(timeout: Int32 = 0) {
        _ = rd_kafka_poll(handle, timeout)
    }

    /// The first fatal error librdkafka raised, if any (`rd_kafka_fatal_error`).
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let detail = cString(errstr)
        return KafkaError(.clientCreation, reason: "fatal: " + detail, rdKafkaCode: err.rawValue, isFatal: true)
    }
}

/// What librdkafka's callbacks report, collected for the owning loop to drain.
///
/// Callbacks only record; they never run user code (STYLE.md "What to absorb" §8).
final class ClientEvents: Sendable {
    struct DeliveryFailures {
        var count = 0
        var first: KafkaError?
    }

    let logger: Logger
    let deliveryFailures = Mutex(DeliveryFailures())
    /// Client-level errors (all brokers down, authentication, ...), newest last, bounded.
    let errors = Mutex<[KafkaError]>([])
    let errorCount = Atomic<Int>(0)
    /// Consumer rebalance hook; touched only on the thread that polls the consumer.
    let rebalance = Mutex<RebalanceHook?>(nil)

    init(logger: Logger) { self.logger = logger }

    func record(_ error: KafkaError) {
        errorCount.add(1, ordering: .relaxed)
        errors.withLock { list in
            list.append(error)
            if list.count > 64 { list.removeFirst(list.count - 64) }
        }
    }

    func takeErrors() -> [KafkaError] {
        errors.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }

    func takeDeliveryFailures() -> DeliveryFailures {
        deliveryFailures.withLock { f in
            defer { f = DeliveryFailures() }
            return f
        }
    }
}

private func events(of rk: OpaquePointer?) -> ClientEvents? {
    guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
    return Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
}

private func clientErrorCallback(
    _ rk: OpaquePointer?, _ err: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let opaque else { return }
    let events = Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
    let code = rd_kafka_resp_err_t(err)
    var error = KafkaError.from(code, .consumer, context: reason.map { String(cString: $0) } ?? "client error")
    if code == RD_KAFKA_RESP_ERR__FATAL {
        error = KafkaError(error.code, reason: error.reason, rdKafkaCode: err, isFatal: true)
    }
    events.record(error)
    events.logger.warning("librdkafka error", metadata: ["kafka.error": "\(error)"])
}

private func clientLogCallback(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ buf: UnsafePointer<CChar>?) {
    guard let events = events(of: rk), let buf else { return }
    let message = String(cString: buf)
    let fac = facility.map { String(cString: $0) } ?? ""
    // syslog levels: 0-3 error, 4 warning, 5-6 info/notice, 7 debug.
    switch level {
    case ...3: events.logger.error("\(message)", metadata: ["librdkafka.facility": "\(fac)"])
    case 4: events.logger.warning("\(message)", metadata: ["librdkafka.facility": "\(fac)"])
    case 5...6: events.logger.info("\(message)", metadata: ["librdkafka.facility": "\(fac)"])
    default: events.logger.debug("\(message)", metadata: ["librdkafka.facility": "\(fac)"])
    }
}

private func deliveryReportCallback(
    _ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let opaque, let message, message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
    let events = Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
    let error = KafkaError.from(
        message.pointee.err, .delivery, context: "delivery to \(topic)[\(message.pointee.partition)] failed")
    events.deliveryFailures.withLock { f in
        f.count += 1
        if f.first == nil { f.first = error }
    }
}
