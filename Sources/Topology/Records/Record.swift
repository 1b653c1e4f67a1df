/// A record on its way through a topology: typed key and value, event time and headers.
public struct Record<Key, Value> {
    public var key: Key
    public var value: Value
    /// Event time, milliseconds since the epoch.
    public var timestamp: Int64
    public var headers: RecordHeaders

    @inlinable
    public init(key: Key, value: Value, timestamp: Int64, headers: RecordHeaders = RecordHeaders()) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}

/// A record as it arrives from a topic, before its source deserializes it.
///
/// - Important: `key` and `value` point into the consumer's buffer and are valid only during the
///   call that receives them, as are `headers` when the consumer lent them (`HeaderLender`).
public struct RawRecord {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch, or `nil` when the record carries none.
    public var timestamp: Int64?
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?
    public var headers: RecordHeaders

    @inlinable
    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64?, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?, headers: RecordHeaders = RecordHeaders()
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }
}
