/// A stream grouped by key, ready to aggregate (Kafka Streams' `KGroupedStream`).
///
/// Aggregations keep their state in a store named by `named:`, which is required: the name also
/// names the changelog topic (`<applicationID>-<name>-changelog`) and, when the records must be
/// repartitioned first, the repartition topic (`<applicationID>-<name>-repartition`), and both must
/// stay the same across versions of the topology.
public struct GroupedStream<Key, Value>: Sendable {
    let stream: Stream<Key, Value>
    let repartition: Bool

    /// The stream to aggregate: repartitioned by key first when the key may have changed.
    func prepared(_ name: String) -> Stream<Key, Value> {
        repartition ? stream.repartition(named: name) : stream
    }

    /// Counts the records per key.
    public func count(named name: String) -> Table<Key, Int64> {
        aggregating(name, operation: "count", serde: Int64Serde()) { _, _, count in (count ?? 0) + 1 }
    }

    /// Combines the values per key; the first value of a key is its first aggregate.
    public func reduce(named name: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value) -> Table<Key, Value> {
        aggregating(name, operation: "reduce", serde: stream.node.valueSerde) { _, value, current in
            try current.map { try reducer($0, value) } ?? value
        }
    }

    /// Folds the values per key into an aggregate of type `A`, starting from `initializer()`.
    public func aggregate<A>(
        named name: String, serde: some Serde<A>, initializer: @escaping @Sendable () -> A,
        _ adder: @escaping @Sendable (Key, Value, A) throws -> A
    ) -> Table<Key, A> {
        aggregating(name, operation: "aggregate", serde: serde) { key, value, current in
            try adder(key, value, current ?? initializer())
        }
    }

    /// Aggregates per key and window: tumbling or hopping windows.
    public func windowedBy(_ windows: TimeWindows) -> WindowedStream<Key, Value> {
        WindowedStream(grouped: self, windows: .time(windows))
    }

    /// Aggregates per key and sliding window (Kafka Streams' `SlidingWindows` semantics).
    public func windowedBy(_ windows: SlidingWindows) -> WindowedStream<Key, Value> {
        WindowedStream(grouped: self, windows: .sliding(windows))
    }

    /// Aggregates per key and session of activity.
    public func windowedBy(_ windows: SessionWindows) -> SessionWindowedStream<Key, Value> {
        SessionWindowedStream(grouped: self, windows: windows)
    }

    private func aggregating<A>(
        _ name: String, operation: String, serde: (any Serde<A>)?,
        _ aggregator: @escaping @Sendable (Key, Value, A?) throws -> A
    ) -> Table<Key, A> {
        let input = prepared(name)
        let spec = StoreSpec(name: name, kind: .keyValue)
        let node = StatefulNode<Key, Change<A>>(
            operation: operation, explicitName: name, parents: [input.node], keySerde: input.node.keySerde,
            valueSerde: nil, stores: [spec])
        node.problems = missingSerdes(key: input.node.keySerde, value: serde)
        if let key = input.node.keySerde, let serde { node.query = (.keyValue, StoreQueryCodec(key: key, value: serde)) }
        input.node.connect(node) { task in
            task.factory.aggregate(
                node.info, store: spec, key: input.node.keySerde!, aggregate: serde!, aggregator,
                downstream: node.downstream(task))
        }
        return Table(node: node, valueSerde: serde, store: spec)
    }
}

extension Stream {
    /// Groups by the current key. When an operator since the source may have changed the key, the
    /// aggregation first repartitions the records through a topic named after it.
    public func groupByKey() -> GroupedStream<Key, Value> {
        GroupedStream(stream: self, repartition: node.keyChanged)
    }

    /// Groups by a new key; the aggregation repartitions the records through a topic named after it.
    public func groupBy<K2>(key: some Serde<K2>, _ selector: @escaping @Sendable (Key, Value) throws -> K2) -> GroupedStream<K2, Value> {
        let rekeyed = selectKey(selector)
        rekeyed.node.keySerde = key
        return GroupedStream(stream: rekeyed, repartition: true)
    }
}

/// What a stateful node lacks to be built, as problems the plan reports.
func missingSerdes<K, V>(key: (any Serde<K>)?, value: (any Serde<V>)?) -> [String] {
    var problems: [String] = []
    if key == nil { problems.append("needs a key serde for \(K.self)") }
    if value == nil { problems.append("needs a value serde for \(V.self)") }
    return problems
}
