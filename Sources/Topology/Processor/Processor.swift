/// A physical operator: receives records one at a time, depth-first, on its task's thread.
///
/// The contract between the logical plan (this module) and the operators that run it
/// (`SluiceOperators`). A processor handles its own failures: a record it cannot process goes to
/// the dead-letter topic; nothing is thrown back up the chain.
/// - Important: a processor belongs to one task and is called from one thread only.
public protocol Processor<Key, Value>: AnyObject {
    associatedtype Key
    associatedtype Value
    /// Key and value travel as separate arguments, not as a `Record<Key, Value>`: unspecialized
    /// generic code pays a metadata lookup for every generic struct it builds, per record.
    func process(_ key: Key, _ value: Value, _ attributes: RecordAttributes)
}

/// What a record carries besides its key and value.
public struct RecordAttributes: Sendable {
    /// Event time, milliseconds since the epoch.
    public var timestamp: Int64
    public var headers: RecordHeaders

    @inlinable
    public init(timestamp: Int64, headers: RecordHeaders = RecordHeaders()) {
        self.timestamp = timestamp
        self.headers = headers
    }
}

/// The first operator of a task for one source: deserializes raw records and forwards them.
public protocol SourceProcessor: AnyObject {
    func process(_ raw: RawRecord)
}
