import SluiceTopology

/// Typed access to a window store: values per key and window start, each with its newest record's
/// timestamp; windows expire through a time index instead of a scan of every key.
final class WindowState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    let retention: Int64

    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>, retention: Int64) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
        self.retention = retention
    }

    /// The prefix of every entry of `key`.
    func prefix(_ key: K) throws -> [UInt8] {
        var bytes: [UInt8] = []
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a store key must not be null") }
        return StoreEncoding.keyPrefix(bytes)
    }

    private func entryKey(_ prefix: [UInt8], start: Int64) -> [UInt8] {
        var k = prefix
        StoreEncoding.appendTime(start, to: &k)
        return k
    }

    func fetch(_ prefix: [UInt8], start: Int64) throws -> (value: V, timestamp: Int64)? {
        guard let stored = try store.get(entryKey(prefix, start: start)) else { return nil }
        return try decode(stored)
    }

    /// - Parameter isNew: the window had no value: only then is its time-index entry written.
    func put(_ prefix: [UInt8], start: Int64, _ value: V, timestamp: Int64, isNew: Bool = true) throws {
        let key = entryKey(prefix, start: start)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        _ = try valueSerde.serialize(value, into: &bytes)
        try store.put(key, bytes)
        if isNew { try store.put(StoreEncoding.indexKey(time: start, primaryKey: key), []) }
    }

    /// Windows of the key starting in `[from, to]`, by start (descending when `reverse`).
    func fetchRange(_ prefix: [UInt8], from: Int64, to: Int64, reverse: Bool = false) throws -> [(start: Int64, value: V, timestamp: Int64)] {
        var result: [(start: Int64, value: V, timestamp: Int64)] = []
        let lower = entryKey(prefix, start: from)
        let upper = to == .max ? StoreEncoding.successor(ofPrefix: prefix) : entryKey(prefix, start: to + 1)
        var failure: (any Error)?
        try store.scan(from: lower, to: upper, reverse: reverse) { key, value in
            do {
                let start = StoreEncoding.time(key, at: key.count - 8)
                let (timestamp, bytes) = StoreEncoding.splitTimestamped(value)
                result.append((start, try valueSerde.deserialize(bytes), timestamp))
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Expiry scans start where the last one ended, past the deletions it left.
    private var expiredUpTo: [UInt8] = [StoreEncoding.timeIndex]

    /// Drops windows that started before `cutoff`.
    func expire(before cutoff: Int64) throws {
        var doomed: [[UInt8]] = []
        var end: [UInt8] = [StoreEncoding.timeIndex]
        StoreEncoding.appendTime(cutoff, to: &end)
        guard compareArrays(expiredUpTo, end) < 0 else { return }
        try store.scan(from: expiredUpTo, to: end) { key, _ in
            doomed.append(Array(key))
            return true
        }
        for index in doomed {
            try store.put(index, nil)
            try store.put(StoreEncoding.primaryKey(ofIndex: index), nil)
        }
        expiredUpTo = end
    }

    private func decode(_ stored: [UInt8]) throws -> (value: V, timestamp: Int64) {
        try stored.withUnsafeBytes { raw in
            let (timestamp, value) = StoreEncoding.splitTimestamped(raw)
            return (try valueSerde.deserialize(value), timestamp)
        }
    }
}
