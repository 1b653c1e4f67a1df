public import SluiceOperators
public import SluiceTopology

/// Interactive queries against the driver's stores, answered as a worker holding every task
/// answers `GET /stores/...`: the same key parsing, partition choice, store reads and JSON.
///
/// ```swift
/// let body = try driver.query(store: "events-per-user", key: "u-1")
/// // {"store":"events-per-user","key":"u-1","value":3,"timestamp":1714557600200,"partition":1}
/// ```
extension TopologyTestDriver {
    /// `GET /stores/NAME/KEY[?from=T1&to=T2]`: one key's value (key-value stores), windows whose
    /// start lies in `[from, to]` (window stores) or sessions that end at or after `from` and start
    /// at or before `to` (session stores).
    /// - Returns: the JSON body, with the key's `partition`; `nil` when a key-value store has no value (404).
    /// - Throws: `TopologyError` for an unknown store or a query the store cannot answer;
    ///   `SerdeError` for a key the store's key serde cannot take.
    public func query(store name: String, key text: String, from: Int64? = nil, to: Int64? = nil) throws -> String? {
        let store = try queryable(name)
        let key = try store.codec.keyBytes(fromText: text)
        let query: StoreQuery
        switch store.layout {
        case .keyValue:
            guard from == nil, to == nil else { throw TopologyError(["from and to are for window and session stores; \(name) is a key-value store"]) }
            query = .get(key: key)
        case .window: query = .windows(key: key, from: from ?? .min, to: to ?? .max)
        case .session: query = .sessions(key: key, from: from ?? .min, to: to ?? .max)
        }
        let partition = KafkaPartitioner.partition(forKey: key, partitions: partitionCount(of: store))
        let rows = try answer(store, query, partition: partition)
        if case .get = query, rows.rows.isEmpty { return nil }
        return QueryJSON.object(try StoreAnswerJSON.fields(store: store, query: query, rows: rows) + [("partition", String(partition))])
    }

    /// `GET /stores/NAME?from=A&to=B` (both inclusive, either optional) or `?prefix=P`, over every
    /// partition of a key-value store.
    /// - Returns: the JSON body: `entries` in key-byte order, at most `limit`, and `truncated`.
    public func queryRange(store name: String, from: String? = nil, to: String? = nil, prefix: String? = nil, limit: Int = 1_000) throws -> String {
        let store = try queryable(name)
        guard store.layout == .keyValue else { throw TopologyError(["\(name) is a \(store.layout) store; key ranges are for key-value stores"]) }
        let range: KeyRange =
            if let prefix { .prefix(try store.codec.keyBytes(fromText: prefix)) } else {
                .closed(from: try from.map(store.codec.keyBytes(fromText:)), to: try to.map(store.codec.keyBytes(fromText:)))
            }
        let query = StoreQuery.range(range, limit: limit)
        var rows: [StoreRows.Row] = []
        var truncated = false
        for p in 0..<Int32(partitionCount(of: store)) {
            let part = try answer(store, query, partition: p)
            rows += part.rows
            truncated = truncated || part.truncated
        }
        rows.sort { ($0.key ?? []).lexicographicallyPrecedes($1.key ?? []) }
        if rows.count > limit {
            rows.removeSubrange(limit...)
            truncated = true
        }
        return QueryJSON.object(try StoreAnswerJSON.fields(store: store, query: query, rows: StoreRows(rows: rows, truncated: truncated)))
    }

    private func queryable(_ name: String) throws -> QueryableStore {
        guard let store = plan.queryableStores[name] else {
            throw TopologyError(["\(plan.applicationID) has no queryable store named \(name); it has \(plan.queryableStores.keys.sorted())"])
        }
        return store
    }

    private func partitionCount(of store: QueryableStore) -> Int {
        plan.subtopologies[store.subtopology].sourceTopics.map(topics.partitionCount).max() ?? 1
    }

    private func answer(_ store: QueryableStore, _ query: StoreQuery, partition: Int32) throws -> StoreRows {
        // A partition that never received a record has no task, hence nothing stored.
        guard let bytes = stores(named: store.name)[TaskID(subtopology: store.subtopology, partition: partition)] else {
            return StoreRows(rows: [])
        }
        let windowSize: Int64 = if case .window(let size) = store.layout { size } else { 0 }
        return try bytes.answer(query, windowSize: windowSize)
    }
}
