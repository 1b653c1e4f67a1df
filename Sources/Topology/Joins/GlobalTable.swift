/// A table every worker holds in full (Kafka Streams' `GlobalKTable`): a copy of `topic` per worker,
/// read from the topic itself before the worker processes anything, and kept up to date by a
/// thread of its own. Streams join it by a key they pick from each record, without co-partitioning.
///
/// ```swift
/// let countries = GlobalTable("countries", key: .string, value: .json(Country.self))
/// ```
/// - Important: every worker reads the whole topic: meant for small, slowly changing tables.
public struct GlobalTable<Key, Value>: Sendable {
    let spec: GlobalTableSpec
    let keySerde: any Serde<Key>
    let valueSerde: any Serde<Value>

    /// - Parameter name: the store's name; by default `<topic>-global`.
    public init(_ topic: String, key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil) {
        spec = GlobalTableSpec(topic: topic, store: name ?? "\(topic)-global")
        keySerde = key
        valueSerde = value
    }
}

/// A global table as the runtime sees it: the topic to copy and the store to copy it into.
public struct GlobalTableSpec: Sendable, Hashable {
    public let topic: String
    public let store: String
}

/// Kafka Streams' spelling: `globalTable("countries", ...)` reads like `GlobalTable(...)`.
public func globalTable<Key, Value>(
    _ topic: String, key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil
) -> GlobalTable<Key, Value> {
    GlobalTable(topic, key: key, value: value, named: name)
}
