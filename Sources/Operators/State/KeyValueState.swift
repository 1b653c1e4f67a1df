import SluiceTopology

/// Typed access to a key-value store: values with the timestamp of the record that last set them.
final class KeyValueState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>

    /// The store's decoded values, shared with its other typed wrappers of the same value type.
    private let decodedValues: DecodedValues<V>?

    /// - Parameter cachesDecoded: keep decoded values (operators, which read keys again and
    ///   again); off for one-off readers such as interactive queries.
    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>, cachesDecoded: Bool = false) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
        if !cachesDecoded {
            decodedValues = nil
        } else if let shared = store.decodedValues {
            decodedValues = shared as? DecodedValues<V>  // another value type: no caching
        } else {
            let own = DecodedValues<V>(limit: store.readCacheBytes / DecodedValues<V>.bytesPerValue)
            store.decodedValues = own
            decodedValues = own
        }
    }

    /// The bytes of the last store key made. The next key is written into their storage when
    /// nothing kept the last one (a lookup answered from a cache, an update of a cached key), so a
    /// join's lookups and an aggregation's updates make no array per record.
    private var spareKeyBytes: [UInt8] = []

    /// The store's key for `key`, made once for all the reads and writes of it (making one hashes it).
    func storeKey(_ key: K) throws -> StoreKey {
        var bytes = spareKeyBytes
        spareKeyBytes = []
        // Unique unless a cache kept the last key; then this empties a copy, as a new array would,
        // but of the old capacity, which a cache would keep: so only a small one is kept.
        bytes.removeAll(keepingCapacity: bytes.capacity <= 64)
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a store key must not be null") }
        spareKeyBytes = bytes
        return StoreKey(bytes)
    }

    func get(_ key: StoreKey) throws -> (value: V, timestamp: Int64)? {
        if let found = decodedValues?.find(key) { return found }
        guard let stored = try store.get(key) else { return nil }
        let decoded = try decode(stored)
        decodedValues?.remember(key, decoded.value, timestamp: decoded.timestamp)
        return decoded
    }

    /// Calls `body` with the value of `key`, if it has one, and says whether it had: `get` for a
    /// reader on a hot path that needs no timestamp (see `DecodedValues.withValue`).
    func withValue(_ key: StoreKey, _ body: (V) throws -> Void) throws -> Bool {
        if let decodedValues, try decodedValues.withValue(key, body) { return true }
        return try readValue(key, body)
    }

    // Apart, so that `withValue`'s path through the decoded values needs no metadata of the
    // tuple `get` returns.
    @inline(never)
    private func readValue(_ key: StoreKey, _ body: (V) throws -> Void) throws -> Bool {
        guard let row = try get(key) else { return false }
        try body(row.value)
        return true
    }

    /// The value in `stored`, bytes just read under `key` (answered from the decoded values if
    /// there), with its timestamp through `timestamp`: code not specialised for `V` looks up the
    /// metadata of a tuple of it each time one is made.
    func decode(_ stored: [UInt8], key: StoreKey, timestamp: inout Int64) throws -> V {
        if let value = decodedValues?.value(key, timestamp: &timestamp) { return value }
        let value = try stored.withUnsafeBytes { raw in
            let (time, value) = StoreEncoding.splitTimestamped(raw)
            timestamp = time
            return try valueSerde.deserialize(value)
        }
        decodedValues?.remember(key, value, timestamp: timestamp)
        return value
    }

    /// The stored bytes of a key: its timestamp, then its value.
    func stored(_ key: StoreKey) throws -> [UInt8]? { try store.get(key) }

    func decode(_ stored: [UInt8]) throws -> (value: V, timestamp: Int64) {
        try stored.withUnsafeBytes { raw in
            let (timestamp, value) = StoreEncoding.splitTimestamped(raw)
            return (try valueSerde.deserialize(value), timestamp)
        }
    }

    /// Writes `value` unless its bytes equal those of `stored`, the key's current bytes.
    /// - Returns: whether the value changed (and was written).
    func putIfChanged(_ key: StoreKey, _ value: V, timestamp: Int64, stored: [UInt8]?) throws -> Bool {
        guard let bytes = try encode(value, timestamp: timestamp) else {
            try store.put(key, nil)
            return stored != nil
        }
        if let stored, stored.count == bytes.count, stored.dropFirst(8).elementsEqual(bytes.dropFirst(8)) { return false }
        try store.put(key, bytes)
        decodedValues?.remember(key, value, timestamp: timestamp)
        return true
    }

    /// Sets (or, for `nil`, deletes) the value of a key.
    func put(_ key: StoreKey, _ value: V?, timestamp: Int64) throws {
        let bytes = try value.flatMap { try encode($0, timestamp: timestamp) }
        try store.put(key, bytes)
        if let value, bytes != nil { decodedValues?.remember(key, value, timestamp: timestamp) }
    }

    /// Sets `key` to `value`, which was read from `serialized` (the bytes of the record it came
    /// in): those bytes are stored as they are rather than written again by the serde.
    func put(_ key: StoreKey, _ value: V, serialized: UnsafeRawBufferPointer, timestamp: Int64) throws {
        try store.put(key, Self.row(serialized, timestamp: timestamp))
        decodedValues?.remember(key, value, timestamp: timestamp)
    }

    /// A row's stored bytes: the timestamp, then the value's bytes as its record carried them.
    private static func row(_ serialized: UnsafeRawBufferPointer, timestamp: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + serialized.count)
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: serialized)
        return bytes
    }

    /// What processing stores for a record of a table's source topic (`TableSourceOperator`): the
    /// row's store key and bytes (`nil` bytes: the key is deleted), or `nil` for a record the
    /// source dead-letters (a key or value its serde cannot read, a key that makes no store key).
    /// A restore from the source topic (`TableChangelog.sourceTopic`) applies records through
    /// this, so that it builds the table processing built.
    func row(fromSource key: UnsafeRawBufferPointer?, _ value: UnsafeRawBufferPointer?, timestamp: Int64) -> (key: [UInt8], value: [UInt8]?)? {
        guard let decodedKey = try? keySerde.deserialize(key), let storeKey = try? storeKey(decodedKey) else { return nil }
        guard let value else { return (storeKey.bytes, nil) }
        guard (try? valueSerde.deserialize(value)) != nil else { return nil }
        return (storeKey.bytes, Self.row(value, timestamp: timestamp))
    }

    /// The timestamp, then the value's bytes; `nil` when the serde writes a null.
    private func encode(_ value: V, timestamp: Int64) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        return try valueSerde.serialize(value, into: &bytes) ? bytes : nil
    }
}
