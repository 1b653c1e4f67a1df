public import SluiceTopology

/// The JSON bodies of interactive-query answers, the same from a worker's HTTP endpoint and from
/// the TestDriver. Keys and values are decoded with the store's serdes (`StoreQueryCodec`).
///
///     get       {"store":S,"key":K,"value":V,"timestamp":T}
///     range     {"store":S,"entries":[{"key":K,"value":V,"timestamp":T},...],"truncated":false}
///     windows   {"store":S,"key":K,"from":F,"to":T,"windows":[{"start":S,"end":E,"value":V,"timestamp":T},...]}
///     sessions  {"store":S,"key":K,"from":F,"to":T,"sessions":[{"start":S,"end":E,"value":V},...]}
///
/// Times are epoch milliseconds; `from`/`to` are `null` when unbounded.
public enum StoreAnswerJSON {
    /// The answer's fields, for the caller to add its own (partition, worker) and make an object.
    /// A `get` that found nothing has no `value` field.
    /// - Throws: what the store's serdes throw on bytes they cannot read.
    public static func fields(store: QueryableStore, query: StoreQuery, rows: StoreRows) throws -> [(String, String)] {
        var fields: [(String, String)] = [("store", QueryJSON.string(store.name))]
        let codec = store.codec
        switch query {
        case .get(let key):
            fields.append(("key", try key.withUnsafeBytes { try codec.json(key: $0) }))
            if let row = rows.rows.first {
                fields.append(("value", try row.value.withUnsafeBytes { try codec.json(value: $0) }))
                if let t = row.timestamp { fields.append(("timestamp", String(t))) }
            }
        case .range:
            fields.append(("entries", QueryJSON.array(try rows.rows.map { try entry($0, codec) })))
            fields.append(("truncated", rows.truncated ? "true" : "false"))
        case .windows(let key, let from, let to), .sessions(let key, let from, let to):
            fields.append(("key", try key.withUnsafeBytes { try codec.json(key: $0) }))
            fields.append(("from", from == .min ? "null" : String(from)))
            fields.append(("to", to == .max ? "null" : String(to)))
            let name = if case .windows = query { "windows" } else { "sessions" }
            fields.append((name, QueryJSON.array(try rows.rows.map { try entry($0, codec) })))
        }
        return fields
    }

    /// One row: `key` (range answers), `start` and `end` (windows, sessions), `value`, `timestamp`.
    public static func entry(_ row: StoreRows.Row, _ codec: StoreQueryCodec) throws -> String {
        var fields: [(String, String)] = []
        if let key = row.key { fields.append(("key", try key.withUnsafeBytes { try codec.json(key: $0) })) }
        if let window = row.window {
            fields.append(("start", String(window.start)))
            fields.append(("end", String(window.end)))
        }
        fields.append(("value", try row.value.withUnsafeBytes { try codec.json(value: $0) }))
        if let t = row.timestamp { fields.append(("timestamp", String(t))) }
        return QueryJSON.object(fields)
    }
}
