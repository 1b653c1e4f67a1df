public import SluiceTopology

/// One interactive query of one store, in store bytes: what a task's thread answers between
/// micro-batches (`StateStore.answer(_:)`), with nothing typed in it, so it crosses threads.
public enum StoreQuery: Sendable, Hashable {
    /// A key-value store's value of one key.
    case get(key: [UInt8])
    /// A key-value store's entries in a key range, in key-byte order, at most `limit`.
    case range(KeyRange, limit: Int)
    /// A window store's windows of one key whose start lies in `[from, to]`.
    case windows(key: [UInt8], from: Int64, to: Int64)
    /// A session store's sessions of one key that end at or after `from` and start at or before `to`.
    case sessions(key: [UInt8], from: Int64, to: Int64)

    /// Whether a store of `layout` can answer the query.
    public func fits(_ layout: QueryableStore.Layout) -> Bool {
        switch (self, layout) {
        case (.get, .keyValue), (.range, .keyValue), (.windows, .window), (.sessions, .session): true
        default: false
        }
    }
}

/// Keys from `lower` (inclusive) to `upper` (exclusive), in store key bytes; `nil` is unbounded.
public struct KeyRange: Sendable, Hashable {
    public let lower: [UInt8]?
    public let upper: [UInt8]?

    /// Keys from `from` to `to`, both inclusive (Kafka Streams' `range(from, to)`).
    public static func closed(from: [UInt8]?, to: [UInt8]?) -> KeyRange {
        // The smallest byte string after `to` is `to` followed by a zero byte.
        KeyRange(lower: from, upper: to.map { $0 + [0] })
    }

    /// Keys starting with `prefix` (Kafka Streams' `prefixScan`).
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        KeyRange(lower: prefix, upper: StoreEncoding.successor(ofPrefix: prefix))
    }
}

/// What a store answered: entries, copied out of the store, still in store bytes.
public struct StoreRows: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// The record key (range answers only; a point query's key is the one asked).
        public var key: [UInt8]?
        public var value: [UInt8]
        /// The timestamp of the newest record that made the value (`nil` for session stores, which
        /// keep none).
        public var timestamp: Int64?
        /// The window or session (window and session stores only).
        public var window: Window?

        public init(key: [UInt8]?, value: [UInt8], timestamp: Int64?, window: Window?) {
            self.key = key
            self.value = value
            self.timestamp = timestamp
            self.window = window
        }
    }

    public var rows: [Row]
    /// Whether a range answer left entries out to stay within its limit.
    public var truncated: Bool

    public init(rows: [Row], truncated: Bool = false) {
        self.rows = rows
        self.truncated = truncated
    }
}

extension StateStore {
    /// Answers `query` from this store.
    /// - Parameter windowSize: a window store's window size, for each window's end.
    /// - Throws: `SerdeError` when the query does not fit the store's kind; what the store throws.
    /// - Important: on the task's thread only, between micro-batches.
    public func answer(_ query: StoreQuery, windowSize: Int64 = 0) throws -> StoreRows {
        switch (query, spec.kind) {
        case (.get(let key), .keyValue):
            guard let found = try keyValue(key: key) else { return StoreRows(rows: []) }
            return StoreRows(rows: [StoreRows.Row(key: nil, value: found.value, timestamp: found.timestamp, window: nil)])
        case (.range(let range, let limit), .keyValue):
            let (entries, truncated) = try keyValueRange(lower: range.lower, upper: range.upper, limit: limit)
            return StoreRows(rows: entries.map { StoreRows.Row(key: $0.key, value: $0.value, timestamp: $0.timestamp, window: nil) }, truncated: truncated)
        case (.windows(let key, let from, let to), .window), (.windows(let key, let from, let to), .timeOrderedWindow):
            return StoreRows(
                rows: try fetchWindows(key: key, from: from, to: to).map {
                    StoreRows.Row(key: nil, value: $0.value, timestamp: $0.timestamp, window: Window(start: $0.start, end: $0.start + windowSize))
                })
        case (.sessions(let key, let from, let to), .session):
            return StoreRows(rows: try fetchSessions(key: key, earliestEnd: from, latestStart: to).map { StoreRows.Row(key: nil, value: $0.value, timestamp: nil, window: $0.window) })
        default:
            throw SerdeError("store \(spec.name) cannot answer this query")
        }
    }
}
