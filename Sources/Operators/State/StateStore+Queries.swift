public import SluiceTopology

/// Reading a store's whole content or one key, typed: for the TestDriver and interactive queries.
extension StateStore {
    /// A key-value store's entries, in key-byte order, with the timestamps of their values.
    public func keyValues<K, V>(key: some Serde<K>, value: some Serde<V>) throws -> [(key: K, value: V, timestamp: Int64)] {
        var out: [(key: K, value: V, timestamp: Int64)] = []
        try scanEntries { k, v in
            let (timestamp, bytes) = StoreEncoding.splitTimestamped(v)
            out.append((try key.deserialize(k), try value.deserialize(bytes), timestamp))
        }
        return out
    }

    /// A key-value store's value for `key`.
    public func value<K, V>(for key: K, keySerde: some Serde<K>, value: some Serde<V>) throws -> V? {
        var bytes: [UInt8] = []
        _ = try keySerde.serialize(key, into: &bytes)
        guard let stored = try get(bytes) else { return nil }
        return try stored.withUnsafeBytes { try value.deserialize(StoreEncoding.splitTimestamped($0).value) }
    }

    /// A window store's windows: by key bytes then window start (`.window`), or by window start
    /// then key bytes (`.timeOrderedWindow`).
    public func windows<K, V>(key: some Serde<K>, value: some Serde<V>, size: (Int64) -> Int64) throws -> [(key: Windowed<K>, value: V, timestamp: Int64)] {
        var out: [(key: Windowed<K>, value: V, timestamp: Int64)] = []
        func append(_ record: UnsafeRawBufferPointer, _ start: Int64, _ v: UnsafeRawBufferPointer) throws {
            let (timestamp, bytes) = StoreEncoding.splitTimestamped(v)
            let window = Window(start: start, end: start + size(start))
            out.append((Windowed(key: try key.deserialize(record), window: window), try value.deserialize(bytes), timestamp))
        }
        if case .timeOrderedWindow = spec.kind {
            try scanEntries { k, v in try append(UnsafeRawBufferPointer(rebasing: k[8...]), StoreEncoding.time(k, at: 0), v) }
            return out
        }
        try scanPrimary { k, v in
            let length = Int(UInt32(bigEndian: k.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
            try append(UnsafeRawBufferPointer(rebasing: k[5..<(5 + length)]), StoreEncoding.time(k, at: 5 + length), v)
        }
        return out
    }

    /// A session store's sessions, by key bytes then session end.
    public func sessions<K, V>(key: some Serde<K>, value: some Serde<V>) throws -> [(key: Windowed<K>, value: V)] {
        var out: [(key: Windowed<K>, value: V)] = []
        try scanPrimary { k, v in
            let length = Int(UInt32(bigEndian: k.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
            let end = StoreEncoding.time(k, at: 5 + length)
            let start = StoreEncoding.time(k, at: 13 + length)
            let record = try key.deserialize(UnsafeRawBufferPointer(rebasing: k[5..<(5 + length)]))
            out.append((Windowed(key: record, window: Window(start: start, end: end)), try value.deserialize(v)))
        }
        return out
    }

    private func scanEntries(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        var failure: (any Error)?
        try scan(from: nil, to: nil) { k, v in
            do { try body(k, v) } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
    }

    private func scanPrimary(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        var failure: (any Error)?
        try scan(from: [StoreEncoding.primary], to: [StoreEncoding.timeIndex]) { k, v in
            do { try body(k, v) } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
    }
}
