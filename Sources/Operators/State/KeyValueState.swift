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
        guard let stored = try store.get(keyBytes) else { return nil }
        return try stored.withUnsafeBytes { raw in
            let (timestamp, value) = StoreEncoding.splitTimestamped(raw)
            return (try valueSerde.deserialize(value), timestamp)
        }
    }

    /// Sets (or, for `nil`, deletes) the value of a key.
    func put(_ keyBytes: [UInt8], _ value: V?, timestamp: Int64) throws {
        guard let value else { return try store.put(keyBytes, nil) }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        if try valueSerde.serialize(value, into: &bytes) {
            try store.put(keyBytes, bytes)
        } else {
            try store.put(keyBytes, nil)
        }
    }
}
