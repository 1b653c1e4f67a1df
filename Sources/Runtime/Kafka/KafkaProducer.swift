internal import CRdKafka
public import Logging
public import SluiceTopology
import Synchronization

/// A Kafka producer over librdkafka: idempotent by default, keyed records partitioned with
/// murmur2 as Java clients do, delivery failures surfaced by `flush`.
///
/// - Important: `send` may be called from any thread; `flush` and the transactional calls block
///   the calling thread, so call them from a dedicated thread (a stream thread), never from the
///   Swift concurrency pool.
public final class KafkaProducer: @unchecked Sendable {
    // @unchecked: the rd_kafka_t handle is thread-safe; the topic-handle cache is behind a Mutex.
    let client: RDKafkaClient
    public let config: ProducerConfig
    private let topics = Mutex<[String: ProducerTopic]>([:])

    /// - Throws: `KafkaError` with code `.configuration` for an unknown or invalid property,
    ///   `.clientCreation` when librdkafka refuses the handle.
    public init(config: ProducerConfig, logger: Logger = .disabled) throws(KafkaError) {
        self.config = config
        let conf = try RDKafkaConf(config.librdkafkaProperties)
        client = try RDKafkaClient(kind: .producer, conf: conf, logger: logger)
    }

    /// A handle for sending to `name` without a topic lookup per record.
    public func topic(_ name: String) throws(KafkaError) -> ProducerTopic {
        if let cached = topics.withLock({ $0[name] }) { return cached }
        let handle = try ProducerTopic(name: name, client: client)
        return topics.withLock { cache in
            if let raced = cache[name] { return raced }
            cache[name] = handle
            return handle
        }
    }

    /// Queues one record. Blocks, serving delivery reports, while librdkafka's queue is full.
    ///
    /// - Parameters:
    ///   - partition: `nil` lets the partitioner choose (murmur2 of the key).
    ///   - key, value: copied before this returns; `nil` is a null key or value (a tombstone).
    ///   - timestamp: milliseconds since the epoch; `nil` is the time of sending.
    /// - Throws: `KafkaError` `.enqueue` (e.g. an unknown partition) or a fatal client error.
    public func send(
        to topic: ProducerTopic, partition: Int32? = nil, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?, headers: RecordHeaders = RecordHeaders(), timestamp: Int64? = nil
    ) throws(KafkaError) {
        var hdrs = Self.makeHeaders(headers)
        defer { if let hdrs { rd_kafka_headers_destroy(hdrs) } }
        let part = partition ?? RD_KAFKA_PARTITION_UA
        while true {
            let err = withBytes(key) { k, kl in
                withBytes(value) { v, vl in
                    sluice_rd_kafka_produce(client.handle, topic.handle, part, k, kl, v, vl, timestamp ?? 0, hdrs)
                }
            }
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                hdrs = nil  // librdkafka owns them now.
                return
            }
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // Back-pressure: let deliveries complete, then try again.
                if let fatal = client.fatalError() { throw fatal }
                client.poll(timeout: 10)
                continue
            }
            throw KafkaError.from(err, .enqueue, context: "send to \(topic.name)")
        }
    }

    /// Convenience over `send(to:...)` for byte arrays.
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: RecordHeaders = RecordHeaders(), timestamp: Int64? = nil
    ) throws(KafkaError) {
        let handle = try self.topic(topic)
        try withOptionalBuffer(key) { (k) throws(KafkaError) in
            try withOptionalBuffer(value) { (v) throws(KafkaError) in
                try send(to: handle, partition: partition, key: k, value: v, headers: headers, timestamp: timestamp)
            }
        }
    }

    /// Serves delivery reports and client errors without waiting.
    public func poll() { client.poll(timeout: 0) }

    /// Records queued or in flight.
    public var inFlight: Int { Int(rd_kafka_outq_len(client.handle)) }

    /// Waits until every queued record is acknowledged or has failed.
    ///
    /// - Throws: `.timedOut` when records are still in flight after `timeout`; `.delivery` when any
    ///   record sent since the last `flush` failed (the count and the first reason are given).
    public func flush(timeout: Duration) throws(KafkaError) {
        let err = rd_kafka_flush(client.handle, timeout.milliseconds)
        if err == RD_KAFKA_RESP_ERR__TIMED_OUT {
            throw KafkaError(
                .timedOut, reason: "flush: \(inFlight) records still in flight after \(timeout)",
                rdKafkaCode: err.rawValue, isRetriable: true)
        }
        try throwDeliveryFailures()
    }

    /// Throws (and clears) the delivery failures reported since the last call.
    public func throwDeliveryFailures() throws(KafkaError) {
        let failures = client.events.takeDeliveryFailures()
        guard failures.count > 0, let first = failures.first else { return }
        throw KafkaError(
            .delivery, reason: "\(failures.count) record(s) not delivered; first: \(first.reason)",
            rdKafkaCode: first.rdKafkaCode, isRetriable: first.isRetriable, isFatal: first.isFatal)
    }

    /// Client-level errors reported since the last call (e.g. all brokers down).
    public func takeErrors() -> [KafkaError] { client.events.takeErrors() }

    /// librdkafka's headers for `headers`, or `nil` when there are none. Headers still lent by a
    /// consumer (`ConsumedRecord.lentHeaders`) are copied from their record, never through Swift.
    private static func makeHeaders(_ headers: RecordHeaders) -> OpaquePointer? {
        if let lent = headers.lent, lent.origin == ObjectIdentifier(ConsumedRecord.self) {
            lent.checkLoan()
            let message = lent.record.assumingMemoryBound(to: rd_kafka_message_t.self)
            guard let source = ConsumedRecord.nativeHeaders(of: message), rd_kafka_header_cnt(source) > 0 else { return nil }
            return rd_kafka_headers_copy(source)
        }
        let elements = headers.elements
        guard !elements.isEmpty else { return nil }
        let hdrs = rd_kafka_headers_new(elements.count)!
        for h in elements {
            if let value = h.value {
                value.withUnsafeBytes { _ = rd_kafka_header_add(hdrs, h.name, -1, $0.baseAddress, $0.count) }
            } else {
                _ = rd_kafka_header_add(hdrs, h.name, -1, nil, 0)
            }
        }
        return hdrs
    }
}

/// A producer's handle on one topic (`rd_kafka_topic_t`), destroyed with it.
public final class ProducerTopic: @unchecked Sendable {
    // @unchecked: rd_kafka_topic_t is thread-safe and immutable from Swift.
    public let name: String
    let handle: OpaquePointer
    private let client: RDKafkaClient  // the topic handle must die before the client.

    init(name: String, client: RDKafkaClient) throws(KafkaError) {
        guard let rkt = rd_kafka_topic_new(client.handle, name, nil) else {
            throw KafkaError.from(rd_kafka_last_error(), .unknownTopic, context: "topic handle for \(name)")
        }
        self.name = name
        self.handle = rkt
        self.client = client
    }

    deinit { rd_kafka_topic_destroy(handle) }
}

/// A zero-length key is not a null key: Kafka keeps the difference, so an empty buffer must
/// still point somewhere.
nonisolated(unsafe) private let emptyByte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

@inline(__always)
private func withBytes<R>(_ buffer: UnsafeRawBufferPointer?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let buffer else { return body(nil, 0) }
    return body(buffer.baseAddress ?? UnsafeRawPointer(emptyByte), buffer.count)
}

@inline(__always)
func withOptionalBuffer<R>(
    _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> R
) throws(KafkaError) -> R {
    guard let bytes else { return try body(nil) }
    let result = bytes.withUnsafeBytes { buffer in Result { () throws(KafkaError) in try body(buffer) } }
    return try result.get()
}

extension Logger {
    /// A logger that drops everything: the default where a caller passes none.
    public static var disabled: Logger { Logger(label: "sluice.disabled", factory: { _ in SwiftLogNoOpLogHandler() }) }
}
