public import SluiceTopology
import Synchronization

/// A worker's copy of a global table: the latest value bytes per key bytes of its topic, written by
/// the global-stream thread and read by every stream thread's joins.
///
/// Kept in memory: it is rebuilt from the topic at every start anyway (a global table has no
/// changelog but its topic), and global tables are meant to be small.
/// - Important: thread-safe; a lookup takes a lock only for the dictionary access (values are
///   copy-on-write arrays, handed out without copying).
public final class GlobalStore: Sendable {
    public let spec: GlobalTableSpec
    private let entries = Mutex<[[UInt8]: [UInt8]]>([:])

    public init(spec: GlobalTableSpec) { self.spec = spec }

    /// Applies one record of the topic: a value sets the key, `nil` (a tombstone) deletes it.
    public func apply(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        let k = Array(key)
        let v = value.map { Array($0) }
        entries.withLock { $0[k] = v }
    }

    /// The value bytes of `key`, if any.
    public func get(_ key: [UInt8]) -> [UInt8]? {
        entries.withLock { $0[key] }
    }

    /// Keys held.
    public var count: Int { entries.withLock { $0.count } }
}

/// Every global store of a worker (or a TestDriver), by store name.
public final class GlobalStores: Sendable {
    public let stores: [String: GlobalStore]

    public init(_ specs: [GlobalTableSpec]) {
        stores = Dictionary(uniqueKeysWithValues: specs.map { ($0.store, GlobalStore(spec: $0)) })
    }

    /// The store fed by `topic`, if a global table reads it.
    public func store(reading topic: String) -> GlobalStore? { stores.values.first { $0.spec.topic == topic } }
}
