public import SluiceTopology

/// Byte-level reads for interactive queries, one function per query shape. They go through the
/// typed state helpers the operators use (`KeyValueState`, `WindowState`, `SessionState`) with
/// bytes serdes, so they follow any change of the stores' layouts.
///
/// Contract, for every function here:
/// - `key` is the record key as the store's key serde wrote it (no prefix, no window);
/// - values come back as the value serde wrote them, without the stored timestamp prefix;
/// - reads see the current batch's writes (they run on the task's thread, between batches);
/// - nothing is written, and nothing reaches the changelog.
/// - Important: owned by the task's thread, like the store.
extension StateStore {
    /// A key-value store's value of `key`, with the timestamp of the record that set it.
    public func keyValue(key: [UInt8]) throws -> (value: [UInt8], timestamp: Int64)? {
        try KeyValueState<[UInt8], [UInt8]>(self, key: BytesSerde(), value: BytesSerde()).get(StoreKey(key))
    }

    /// A key-value store's entries with keys in `[lower, upper)` (`nil`: unbounded) in key-byte
    /// order, at most `limit` of them. - Returns: the entries, and whether more were left out.
    public func keyValueRange(lower: [UInt8]?, upper: [UInt8]?, limit: Int) throws -> (
        entries: [(key: [UInt8], value: [UInt8], timestamp: Int64)], truncated: Bool
    ) {
        var entries: [(key: [UInt8], value: [UInt8], timestamp: Int64)] = []
        var truncated = false
        try scan(from: lower, to: upper) { key, value in
            guard entries.count < limit else {
                truncated = true
                return false
            }
            let (timestamp, bytes) = StoreEncoding.splitTimestamped(value)
            entries.append((Array(key), Array(bytes), timestamp))
            return true
        }
        return (entries, truncated)
    }

    /// A window store's windows of `key` whose start lies in `[from, to]` (both inclusive), by start
    /// ascending: Kafka Streams' `WindowStore.fetch(key, timeFrom, timeTo)`.
    ///
    /// `from` may be `Int64.min` and `to` `Int64.max` (every window of the key). Whatever the store's
    /// layout (key-first or time-first), the answer is the same.
    public func fetchWindows(key: [UInt8], from: Int64, to: Int64) throws -> [(start: Int64, value: [UInt8], timestamp: Int64)] {
        guard from <= to else { return [] }
        let state = WindowState<[UInt8], [UInt8]>(self, key: BytesSerde(), value: BytesSerde(), retention: 0)
        return try state.fetchRange(state.prefix(key), from: from, to: to)
    }

    /// A session store's sessions of `key` that end at or after `earliestEnd` and start at or
    /// before `latestStart`, by end ascending: Kafka Streams' `SessionStore.findSessions`.
    public func fetchSessions(key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws -> [(window: Window, value: [UInt8])] {
        let state = SessionState<[UInt8], [UInt8]>(self, key: BytesSerde(), value: BytesSerde())
        return try state.find(state.prefix(key), earliestEnd: earliestEnd, latestStart: latestStart)
    }
}
