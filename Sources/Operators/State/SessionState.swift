import SluiceTopology

/// Typed access to a session store: one value per key and session `[start, end]`, sessions of a key
/// ordered by end; sessions expire through a time index.
final class SessionState<K, V> {
    let store: StateStore
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    /// The store's sessions in memory, filled from the store at the first find; `nil` when off,
    /// or dropped once it holds more than `liveLimit` sessions: then every find scans the store.
    private var live: LiveSessions<V>?
    private var loaded = false
    /// The most sessions kept in memory per store.
    static var liveLimit: Int { 1_000_000 }

    /// - Parameter inMemory: keep every session in memory as well (an aggregation's state, read
    ///   per record); off for one-off readers such as interactive queries.
    init(_ store: StateStore, key: any Serde<K>, value: any Serde<V>, inMemory: Bool = false) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
        self.live = inMemory ? LiveSessions() : nil
    }

    func prefix(_ key: K) throws -> [UInt8] {
        var bytes: [UInt8] = []
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a store key must not be null") }
        return StoreEncoding.keyPrefix(bytes)
    }

    private func entryKey(_ prefix: [UInt8], _ window: Window) -> [UInt8] {
        var k = prefix
        StoreEncoding.appendTime(window.end, to: &k)
        StoreEncoding.appendTime(window.start, to: &k)
        return k
    }

    /// Sessions of the key that end at or after `earliestEnd` and start at or before `latestStart`.
    func find(_ prefix: [UInt8], earliestEnd: Int64, latestStart: Int64) throws -> [(window: Window, value: V)] {
        if live != nil && !loaded { try load() }
        if let live {
            var result: [(window: Window, value: V)] = []
            for s in live.sessions(of: StoreKey(prefix)) where s.end >= earliestEnd && s.start <= latestStart {
                result.append((Window(start: s.start, end: s.end), live.value(s)))
            }
            return result
        }
        var lower = prefix
        StoreEncoding.appendTime(earliestEnd, to: &lower)
        var result: [(window: Window, value: V)] = []
        var failure: (any Error)?
        try store.scan(from: lower, to: StoreEncoding.successor(ofPrefix: prefix)) { key, value in
            let end = StoreEncoding.time(key, at: key.count - 16)
            let start = StoreEncoding.time(key, at: key.count - 8)
            // A key's sessions never overlap, so they are ordered by start as well as by end.
            guard start <= latestStart else { return false }
            do {
                result.append((Window(start: start, end: end), try valueSerde.deserialize(value)))
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        return result
    }

    /// The value of the key's session `window`, if the store holds that session.
    func get(_ prefix: [UInt8], _ window: Window) throws -> V? {
        if live != nil && !loaded { try load() }
        if let live {
            return live.sessions(of: StoreKey(prefix)).first { $0.start == window.start && $0.end == window.end }.map { live.value($0) }
        }
        return try store.get(entryKey(prefix, window)).map { stored in try stored.withUnsafeBytes { try valueSerde.deserialize($0) } }
    }

    /// The record key whose entries start with `prefix`, a prefix from `prefix(_:)`.
    func key(ofPrefix prefix: [UInt8]) throws -> K {
        guard prefix.count >= 5, prefix[0] == StoreEncoding.primary else { throw SerdeError("not a session store key prefix") }
        return try prefix.withUnsafeBytes { try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: $0[5...])) }
    }

    /// Every session in the store, by key prefix and window (in the store's order).
    func forEachSession(_ body: ([UInt8], Window) throws -> Void) throws {
        try store.scan(from: [StoreEncoding.primary], to: [StoreEncoding.timeIndex]) { key, _ in
            let end = StoreEncoding.time(key, at: key.count - 16)
            let start = StoreEncoding.time(key, at: key.count - 8)
            try body(Array(key[..<(key.count - 16)]), Window(start: start, end: end))
            return true
        }
    }

    func put(_ prefix: [UInt8], _ window: Window, _ value: V?) throws {
        if let live, loaded {
            live.set(StoreKey(prefix), start: window.start, end: window.end, value)
            if live.count > Self.liveLimit { self.live = nil }
        }
        let key = entryKey(prefix, window)
        let index = StoreEncoding.indexKey(time: window.end, primaryKey: key)
        guard let value else {
            try store.put(key, nil)
            return try store.put(index, nil)
        }
        var bytes: [UInt8] = []
        _ = try valueSerde.serialize(value, into: &bytes)
        try store.put(key, bytes)
        try store.put(index, [])
    }

    /// Expiry scans start where the last one ended, past the deletions it left.
    private var expiredUpTo: [UInt8] = [StoreEncoding.timeIndex]

    /// Drops sessions that ended before `cutoff`.
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
            let primary = StoreEncoding.primaryKey(ofIndex: index)
            try store.put(index, nil)
            try store.put(primary, nil)
            if let live, loaded { Self.forget(primary, in: live) }
        }
        expiredUpTo = end
    }

    private static func forget(_ primary: [UInt8], in live: LiveSessions<V>) {
        primary.withUnsafeBytes { key in
            let end = StoreEncoding.time(key, at: key.count - 16)
            let start = StoreEncoding.time(key, at: key.count - 8)
            live.set(StoreKey(Array(key[..<(key.count - 16)])), start: start, end: end, nil)
        }
    }

    /// Fills `live` with every session in the store.
    private func load() throws {
        guard let live else { return }
        try store.scan(from: [StoreEncoding.primary], to: [StoreEncoding.timeIndex]) { key, value in
            let end = StoreEncoding.time(key, at: key.count - 16)
            let start = StoreEncoding.time(key, at: key.count - 8)
            live.set(StoreKey(Array(key[..<(key.count - 16)])), start: start, end: end, try valueSerde.deserialize(value))
            return true
        }
        loaded = true
        if live.count > Self.liveLimit { self.live = nil }
    }
}
