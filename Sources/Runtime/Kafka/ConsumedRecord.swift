internal import CRdKafka
public import SluiceTopology

/// A record as the consumer returned it, viewed in place in librdkafka's buffer.
///
/// - Important: `key` and `value` point into the `ConsumerBatch` they came from and are valid only
///   while that batch lives. Copy what must outlive it. Nothing is copied unless asked for, so a
///   pipeline that drops a record never pays for its bytes.
public struct ConsumedRecord {
    let message: UnsafeMutablePointer<rd_kafka_message_t>
    // Unmanaged: the consumer's lender outlives its batches, and a call through a reference
    // (even `unowned(unsafe)`) retained and released it per record.
    let lender: Unmanaged<HeaderLender>
    /// The topic's name (interned by the consumer: no allocation per record).
    public let topic: String
    /// A small dense number per topic, stable for the consumer's life: for array-indexed routing.
    public let topicID: Int

    @inline(__always) public var partition: Int32 { message.pointee.partition }
    @inline(__always) public var offset: Int64 { message.pointee.offset }

    /// The key's bytes, or `nil` for a null key. Valid only while the batch lives.
    @inline(__always) public var key: UnsafeRawBufferPointer? {
        guard let k = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: k, count: message.pointee.key_len)
    }

    /// The value's bytes, or `nil` for a null value (a tombstone). Valid only while the batch lives.
    @inline(__always) public var value: UnsafeRawBufferPointer? {
        guard let v = message.pointee.payload else { return nil }
        return UnsafeRawBufferPointer(start: v, count: message.pointee.len)
    }

    /// Milliseconds since the epoch (create or log-append time), or `nil` when the record has none.
    public var timestamp: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
    }

    /// Whether the record carries headers, without copying them.
    public var hasHeaders: Bool { Self.headerCount(of: message) > 0 }

    /// The record's headers, copied.
    public var headers: RecordHeaders { RecordHeaders(Self.headers(of: message)) }

    /// The record's headers, unread: read from the record only if something asks for them while
    /// the batch lives (`HeaderLender`). Reading them costs librdkafka an allocation even when there
    /// are none (unless `HeaderProbe` can tell).
    @inline(__always) public var lentHeaders: RecordHeaders {
        lender._withUnsafeGuaranteedRef { $0.lend(UnsafeRawPointer(message)) }
    }

    /// The record's native headers, if it has any to read (librdkafka parses them on first ask).
    static func nativeHeaders(of message: UnsafePointer<rd_kafka_message_t>) -> OpaquePointer? {
        HeaderProbe.certainlyNone(message) ? nil : librdkafkaHeaders(of: message)
    }

    /// The record's native headers as librdkafka finds them, without `HeaderProbe`.
    static func librdkafkaHeaders(of message: UnsafePointer<rd_kafka_message_t>) -> OpaquePointer? {
        var hdrs: OpaquePointer?
        guard rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return hdrs
    }

    static func headerCount(of message: UnsafePointer<rd_kafka_message_t>) -> Int {
        nativeHeaders(of: message).map { rd_kafka_header_cnt($0) } ?? 0
    }

    static func headers(of message: UnsafePointer<rd_kafka_message_t>) -> [RecordHeaders.Header] {
        guard let hdrs = nativeHeaders(of: message) else { return [] }
        var result: [RecordHeaders.Header] = []
        result.reserveCapacity(rd_kafka_header_cnt(hdrs))
        var i = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(RecordHeaders.Header(name: name.map { String(cString: $0) } ?? "", value: bytes))
            i += 1
        }
        return result
    }

    /// Lends the headers of a consumer's records (`rd_kafka_message_t`s).
    static func makeLender() -> HeaderLender {
        HeaderLender(
            origin: ObjectIdentifier(ConsumedRecord.self),
            read: { headers(of: $0.assumingMemoryBound(to: rd_kafka_message_t.self)) },
            count: { headerCount(of: $0.assumingMemoryBound(to: rd_kafka_message_t.self)) })
    }
}

/// Input the broker no longer had: the consumer's position was evicted (by retention, or by the
/// embedded broker's size limit, DESIGN.md §4). Reported, never skipped silently.
public struct InputLoss: Sendable, Hashable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    /// The position the consumer asked for.
    public var requestedOffset: Int64
    /// The earliest offset the broker still had, where reading resumed.
    public var resumedAt: Int64
    /// Records that were never read (`resumedAt - requestedOffset`), when known.
    public var lostRecords: Int64? {
        requestedOffset >= 0 && resumedAt >= requestedOffset ? resumedAt - requestedOffset : nil
    }

    public var description: String {
        "input lost on \(topicPartition): asked for offset \(requestedOffset), broker starts at \(resumedAt)"
            + (lostRecords.map { " (\($0) records)" } ?? "")
    }
}

/// The records of one poll, viewed in place; handed to the body of `KafkaConsumer.poll`.
///
/// - Important: valid only inside that body: the consumer destroys the messages when it returns
///   (a scope, not a deinit, so no optimizer can end the batch's life while records are in use).
public struct ConsumerBatch {
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private let topicIDs: UnsafeMutablePointer<Int>
    private let topicNames: UnsafeBufferPointer<String>
    private let lender: Unmanaged<HeaderLender>
    /// Number of records.
    public let count: Int
    /// Errors the consumer reported during the poll (e.g. a broker down); records are unaffected.
    public let errors: [KafkaError]
    /// Input that was evicted before it was read; the consumer has resumed at the earliest offset.
    public let losses: [InputLoss]

    init(
        messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>,
        topicIDs: UnsafeMutablePointer<Int>, topicNames: UnsafeBufferPointer<String>, lender: HeaderLender, count: Int,
        errors: [KafkaError], losses: [InputLoss]
    ) {
        self.messages = messages
        self.lender = Unmanaged.passUnretained(lender)
        self.topicIDs = topicIDs
        self.topicNames = topicNames
        self.count = count
        self.errors = errors
        self.losses = losses
    }

    public var isEmpty: Bool { count == 0 }

    /// Starts loading the records after the `index`th into the cache: the next one's bytes, and
    /// the one after's description (to find its bytes). A hint, for a loop over the batch.
    @inline(__always) public func prefetch(after index: Int) {
        if index &+ 2 < count { sluice_prefetch_message(messages[index &+ 2]) }
        if index &+ 1 < count { sluice_prefetch_payload(messages[index &+ 1]) }
    }

    /// The `index`th record; valid while the poll's body runs.
    @inline(__always) public subscript(index: Int) -> ConsumedRecord {
        let id = topicIDs[index]
        return ConsumedRecord(message: messages[index]!, lender: lender, topic: topicNames[id], topicID: id)
    }
}
