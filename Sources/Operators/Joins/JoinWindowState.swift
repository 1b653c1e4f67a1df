import SluiceTopology

/// One side of a stream-stream join: its records by key, then time, so that one key's records in
/// a time range are one contiguous scan; with a time index so that expired records go without a
/// scan of every key.
///
/// Layout, on a key-value `StateStore` (its own layout, independent of `WindowState`'s):
/// `[0][key length][key][time]` → every value of that key at that time, each as a 4-byte length
/// and its bytes (records of one key and time are kept, not replaced); `[1][time][key length][key]`
/// → empty, the time index. Both go to the changelog, so a restore rebuilds both.
final class JoinWindowState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    /// Expiry scans start where the last one ended, past the deletions it left.
    private var expiredUpTo: [UInt8] = [StoreEncoding.timeIndex]

    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
    }

    /// `[0][key length][key]`, the prefix of every entry of `key`.
    func prefix(_ key: K) throws -> [UInt8] {
        var bytes: [UInt8] = []
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a join key must not be null") }
        return StoreEncoding.keyPrefix(bytes)
    }

    /// Adds `value` at `time` to the key's records.
    func add(_ prefix: [UInt8], time: Int64, _ value: V) throws {
        var key = prefix
        StoreEncoding.appendTime(time, to: &key)
        var entry = try store.get(key) ?? []
        let isNew = entry.isEmpty
        try JoinValueList.append(value, serde: valueSerde, to: &entry)
        try store.put(key, entry)
        if isNew { try store.put(indexKey(prefix, time: time), []) }
    }

    /// The key's records with times in `[from, to]`, both inclusive, oldest first.
    func fetch(_ prefix: [UInt8], from: Int64, to: Int64) throws -> [(time: Int64, value: V)] {
        var lower = prefix
        StoreEncoding.appendTime(from, to: &lower)
        var upper = prefix
        var result: [(time: Int64, value: V)] = []
        if to == .max {
            upper = StoreEncoding.successor(ofPrefix: prefix) ?? []
        } else {
            StoreEncoding.appendTime(to + 1, to: &upper)
        }
        var failure: (any Error)?
        try store.scan(from: lower, to: upper.isEmpty ? nil : upper) { key, value in
            let time = StoreEncoding.time(key, at: key.count - 8)
            do {
                try JoinValueList.forEach(value, serde: valueSerde) { result.append((time, $0)) }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return result
    }

    /// Drops every record older than `cutoff`.
    func expire(before cutoff: Int64) throws {
        var end: [UInt8] = [StoreEncoding.timeIndex]
        StoreEncoding.appendTime(cutoff, to: &end)
        guard compareArrays(expiredUpTo, end) < 0 else { return }
        var doomed: [[UInt8]] = []
        try store.scan(from: expiredUpTo, to: end) { key, _ in
            doomed.append(Array(key))
            return true
        }
        for index in doomed {
            try store.put(index, nil)
            // [1][time][len][key] → [0][len][key][time]
            try store.put([StoreEncoding.primary] + index[9...] + index[1..<9], nil)
        }
        expiredUpTo = end
    }

    private func indexKey(_ prefix: [UInt8], time: Int64) -> [UInt8] {
        var k: [UInt8] = [StoreEncoding.timeIndex]
        k.reserveCapacity(prefix.count + 8)
        StoreEncoding.appendTime(time, to: &k)
        k.append(contentsOf: prefix.dropFirst())
        return k
    }
}

/// Several values in one store entry: each a 4-byte big-endian length and its bytes.
enum JoinValueList {
    static func append<V>(_ value: V, serde: any Serde<V>, to entry: inout [UInt8]) throws {
        let lengthAt = entry.count
        entry.append(contentsOf: [0, 0, 0, 0])
        guard try serde.serialize(value, into: &entry) else { throw SerdeError("a joined value must not be null") }
        let length = UInt32(entry.count - lengthAt - 4).bigEndian
        withUnsafeBytes(of: length) { entry.replaceSubrange(lengthAt..<(lengthAt + 4), with: $0) }
    }

    static func forEach<V>(_ entry: UnsafeRawBufferPointer, serde: any Serde<V>, _ body: (V) throws -> Void) throws {
        var offset = 0
        while offset + 4 <= entry.count {
            let length = Int(UInt32(bigEndian: entry.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length <= entry.count else { throw SerdeError("a join store entry is truncated") }
            try body(try serde.deserialize(UnsafeRawBufferPointer(rebasing: entry[offset..<(offset + length)])))
            offset += length
        }
    }
}
