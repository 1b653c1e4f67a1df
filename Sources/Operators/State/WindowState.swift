import SluiceTopology

/// Typed access to a window store: values per key and window start, each with its newest record's
/// timestamp.
///
/// Two layouts (`StoreSpec.Kind`): `.window` puts a key's windows together, for range fetches, and
/// expires them through a time index; `.timeOrderedWindow` puts the window start first, so windows
/// are fetched one at a time and expire as one range delete, with no index to keep.
final class WindowState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    let retention: Int64
    private let timeFirst: Bool

    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>, retention: Int64) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
        self.retention = retention
        if case .timeOrderedWindow = store.spec.kind { timeFirst = true } else { timeFirst = false }
        expiredUpTo = timeFirst ? [] : [StoreEncoding.timeIndex]
    }

    /// What every entry key of `key` is made from: `[0][length][key]` key-first, the key's bytes
    /// time-first.
    func prefix(_ key: K) throws -> [UInt8] {
        var bytes: [UInt8] = []
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a store key must not be null") }
        return timeFirst ? bytes : StoreEncoding.keyPrefix(bytes)
    }

    /// The entry key of `key`'s window starting at `start`. Time-first, the key is written straight
    /// after the time, so an aggregation's record costs one allocation for its key, not two.
    func entryKey(_ key: K, start: Int64) throws -> [UInt8] {
        guard timeFirst else { return entryKey(try prefix(key), start: start) }
        var k: [UInt8] = []
        k.reserveCapacity(40)
        StoreEncoding.appendTime(start, to: &k)
        guard try keySerde.serialize(key, into: &k) else { throw SerdeError("a store key must not be null") }
        return k
    }

    /// `entry`, an entry key, for the same key's window starting at `start` (a hopping window's next).
    func entryKey(_ entry: [UInt8], movedTo start: Int64) -> [UInt8] {
        var k = entry
        let at = timeFirst ? 0 : k.count - 8
        withUnsafeBytes(of: (UInt64(bitPattern: start) ^ (1 << 63)).bigEndian) { time in
            k.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: time.baseAddress!, byteCount: 8) }
        }
        return k
    }

    func entryKey(_ prefix: [UInt8], start: Int64) -> [UInt8] {
        var k: [UInt8] = []
        k.reserveCapacity(prefix.count + 8)
        if timeFirst {
            StoreEncoding.appendTime(start, to: &k)
            k.append(contentsOf: prefix)
        } else {
            k.append(contentsOf: prefix)
            StoreEncoding.appendTime(start, to: &k)
        }
        return k
    }

    /// The value at `entry`, a key from `entryKey`: a caller that reads then writes one window
    /// builds (and hashes) its key once.
    ///
    /// The value comes back alone and its timestamp through `timestamp`: code not specialised for
    /// `V` looks up the metadata of a tuple of it each time one is made (with its optional, most
    /// of the lookups of a windowed aggregation of a user's type).
    func fetch(entry: StoreKey, timestamp: inout Int64) throws -> V? {
        guard let stored = try store.get(entry) else { return nil }
        return try stored.withUnsafeBytes { raw in
            let (time, value) = StoreEncoding.splitTimestamped(raw)
            timestamp = time
            return try valueSerde.deserialize(value)
        }
    }

    /// The values of many entries, sorted, each deleted (logged) as it is read, in one read of the
    /// store (see `StateStore.take(sorted:)`): the windows of a time-first store that emits on
    /// close, read once when they close. `body` gets the index, value and timestamp of each entry
    /// that had a value.
    func take(sortedEntries entries: [StoreKey], _ body: (Int, V, Int64) throws -> Void) throws {
        guard timeFirst else { throw SerdeError("only a time-ordered window store's windows are removed one by one") }
        for (i, stored) in try store.take(sorted: entries).enumerated() {
            guard let stored else { continue }
            try stored.withUnsafeBytes { raw in
                let (timestamp, value) = StoreEncoding.splitTimestamped(raw)
                try body(i, try valueSerde.deserialize(value), timestamp)
            }
        }
    }

    /// - Parameter isNew: the window had no value: only then is its time-index entry written.
    func put(_ prefix: [UInt8], start: Int64, _ value: V, timestamp: Int64, isNew: Bool = true) throws {
        try put(entry: StoreKey(entryKey(prefix, start: start)), start: start, value, timestamp: timestamp, isNew: isNew)
    }

    /// `put` at `entry`, the key `entryKey` built for the window starting at `start`.
    func put(entry key: StoreKey, start: Int64, _ value: V, timestamp: Int64, isNew: Bool = true) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        _ = try valueSerde.serialize(value, into: &bytes)
        try store.put(key, bytes, isNew: isNew)
        if isNew && !timeFirst { try store.put(StoreEncoding.indexKey(time: start, primaryKey: key.bytes), []) }
    }

    /// The key of `entry`, a key from `entryKey` of the time-first layout.
    func key(ofEntry entry: [UInt8]) throws -> K {
        guard timeFirst, entry.count >= 8 else { throw SerdeError("only a time-ordered window store's entries name their key after the time") }
        return try entry.withUnsafeBytes { try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: $0[8...])) }
    }

    /// Windows of the key starting in `[from, to]`, by start (descending when `reverse`).
    ///
    /// Key-first, the key's windows are one contiguous range. Time-first, the windows of one key are
    /// spread over the time range, so the range is scanned and other keys' windows skipped, as Kafka
    /// Streams' time-ordered stores fetch a key.
    func fetchRange(_ prefix: [UInt8], from: Int64, to: Int64, reverse: Bool = false) throws -> [(start: Int64, value: V, timestamp: Int64)] {
        var result: [(start: Int64, value: V, timestamp: Int64)] = []
        guard from <= to else { return result }
        let lower = entryKey(timeFirst ? [] : prefix, start: from)
        let upper: [UInt8]? =
            if timeFirst { to == .max ? nil : entryKey([], start: to + 1) } else {
                to == .max ? StoreEncoding.successor(ofPrefix: prefix) : entryKey(prefix, start: to + 1)
            }
        var failure: (any Error)?
        try store.scan(from: lower, to: upper, reverse: reverse) { key, value in
            if timeFirst && !(key.count == prefix.count + 8 && key[8...].elementsEqual(prefix)) { return true }
            do {
                let start = StoreEncoding.time(key, at: timeFirst ? 0 : key.count - 8)
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

    /// Expiry starts where the last one ended, past the deletions it left.
    private var expiredUpTo: [UInt8]

    /// Drops windows that started before `cutoff`.
    func expire(before cutoff: Int64) throws {
        var end: [UInt8] = timeFirst ? [] : [StoreEncoding.timeIndex]
        StoreEncoding.appendTime(cutoff, to: &end)
        guard compareArrays(expiredUpTo, end) < 0 else { return }
        if timeFirst {
            try store.deleteRange(from: expiredUpTo, to: end)
            expiredUpTo = end
            return
        }
        var doomed: [[UInt8]] = []
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
}
