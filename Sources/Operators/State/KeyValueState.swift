import SluiceTopology

/// Typed access to a key-value store: values with the timestamp of the record that last set them.
final class KeyValueState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>

    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
    }

    func keyBytes(_ key: K) throws -> [UInt8] {
        var bytes: [UInt8] = []
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a store key must not be null") }
        return bytes
    }

    func get(_ keyBytes: [UInt8]) throws -> (value: V, timestamp: Int64)? {
        try store.get(keyBytes).map(decode)
    }

    /// The stored bytes of a key: its timestamp, then its value.
    func stored(_ keyBytes: [UInt8]) throws -> [UInt8]? { try store.get(keyBytes) }

    func decode(_ stored: [UInt8]) throws -> (value: V, timestamp: Int64) {
        try stored.withUnsafeBytes { raw in
            let (timestamp, value) = StoreEncoding.splitTimestamped(raw)
            return (try valueSerde.deserialize(value), timestamp)
        }
    }

    /// Writes `value` unless its bytes equal those of `stored`, the key's current bytes.
    /// - Returns: whether the value changed (and was written).
    func putIfChanged(_ keyBytes: [UInt8], _ value: V, timestamp: Int64, stored: [UInt8]?) throws -> Bool {
        guard let bytes = try encode(value, timestamp: timestamp) else {
            try store.put(keyBytes, nil)
            return stored != nil
        }
        if let stored, stored.count == bytes.count, stored.dropFirst(8).elementsEqual(bytes.dropFirst(8)) { return false }
        try store.put(keyBytes, bytes)
        return true
    }

    /// Sets (or, for `nil`, deletes) the value of a key.
    func put(_ keyBytes: [UInt8], _ value: V?, timestamp: Int64) throws {
        try store.put(keyBytes, try value.flatMap { try encode($0, timestamp: timestamp) })
    }

    /// The timestamp, then the value's bytes; `nil` when the serde writes a null.
    private func encode(_ value: V, timestamp: Int64) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        return try valueSerde.serialize(value, into: &bytes) ? bytes : nil
    }
}
