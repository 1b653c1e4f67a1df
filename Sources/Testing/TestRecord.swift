public import SluiceTopology

/// A record read from a topic of the TestDriver.
public struct TestRecord<Key, Value> {
    public var key: Key
    public var value: Value
    public var timestamp: Int64
    public var headers: RecordHeaders
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

extension TestRecord: Equatable where Key: Equatable, Value: Equatable {}
extension TestRecord: Sendable where Key: Sendable, Value: Sendable {}

/// A record as the TestDriver's in-memory broker keeps it: bytes, as Kafka would.
struct StoredRecord {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: RecordHeaders
    var timestamp: Int64
}
