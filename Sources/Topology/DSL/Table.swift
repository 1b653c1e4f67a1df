/// A table: the latest value per key (Kafka Streams' `KTable`), kept in a state store and read
/// from a topic, or made by an aggregation.
///
/// ```swift
/// let users = Table("users", key: .string, value: .json(User.self))
/// clicks.groupByKey().windowedBy(.tumbling(.minutes(1))).count(named: "clicks-per-minute")
///     .suppress(.untilWindowCloses, named: "final-clicks-per-minute")
///     .toStream()
///     .to("clicks-per-minute", key: .windowed(.string), value: .int64)
/// ```
public struct Table<Key, Value>: Sendable {
    let node: StreamNode<Key, Change<Value>>
    let valueSerde: (any Serde<Value>)?
    /// For windowed tables: whether a window is closed at a stream time.
    let windowClose: (@Sendable (Window, Int64) -> Bool)?
    /// The key-value store holding the table's latest values, when it has one: what joins read.
    let store: StoreSpec?
    /// A windowed table that carries each window's final result once, as the window closes (its
    /// aggregation emits on close, or it is suppressed).
    let emitsFinal: Bool

    init(
        node: StreamNode<Key, Change<Value>>, valueSerde: (any Serde<Value>)?,
        windowClose: (@Sendable (Window, Int64) -> Bool)? = nil, store: StoreSpec? = nil, emitsFinal: Bool = false
    ) {
        self.node = node
        self.valueSerde = valueSerde
        self.windowClose = windowClose
        self.store = store
        self.emitsFinal = emitsFinal
    }

    /// Reads `topic` as a table: each record sets its key's value; a null value (a tombstone)
    /// deletes it.
    /// - Parameters:
    ///   - name: the store's name; by default `<topic>-table`.
    ///   - changelog: where the store's changes are kept for restores; by default a changelog
    ///     topic of its own (see `TableChangelog`).
    public init(
        _ topic: String, key: some Serde<Key>, value: some Serde<Value>, named name: String? = nil,
        changelog: TableChangelog = .ownTopic
    ) {
        let source = SourceNode<Key, Value?>(
            topics: [topic], explicitName: "\(name ?? "\(topic)-table")-source", keySerde: key, valueSerde: value.optional,
            timestamp: nil)
        let spec = StoreSpec(name: name ?? "\(topic)-table", kind: .keyValue, sourceTopic: changelog == .sourceTopic ? topic : nil)
        let table = StatefulNode<Key, Change<Value>>(
            operation: "table", explicitName: spec.name, parents: [source], keySerde: key, valueSerde: nil, stores: [spec])
        table.query = (.keyValue, StoreQueryCodec(key: key, value: value))
        source.connect(table) { task in
            task.factory.tableSource(table.info, store: spec, key: key, value: value, downstream: table.downstream(task))
        }
        self.init(node: table, valueSerde: value, store: spec)
    }

    /// The table's updates as a stream of new values; deletions are left out.
    public func toStream(named name: String? = nil) -> Stream<Key, Value> {
        Stream(node: node).adding("toStream", named: name, keySerde: node.keySerde, valueSerde: valueSerde) { info, task, next in
            task.factory.newValues(info, downstream: next)
        }
    }

    /// The table's updates with deletions as `nil` values (tombstones when written to a topic).
    public func toChangeStream(named name: String? = nil) -> Stream<Key, Value?> {
        Stream(node: node).adding("toChangeStream", named: name, keySerde: node.keySerde, valueSerde: valueSerde.map { AnySerde($0).optional }) {
            info, task, next in task.factory.mapValues(info, { _, change in change.new }, downstream: next)
        }
    }

    /// Re-groups the table by a new key to aggregate it; updates travel through the repartition
    /// topic `<applicationID>-<name>-repartition` as old and new values, so an aggregation can
    /// subtract what a key's previous value contributed.
    public func groupBy<K2, V2>(
        named name: String, key: some Serde<K2>, value: some Serde<V2>,
        _ selector: @escaping @Sendable (Key, Value) throws -> (K2, V2)
    ) -> GroupedTable<K2, V2> {
        let keySerde = AnySerde(key)
        let valueSerde = AnySerde(value)
        let rekeyed = Stream(node: node).adding(
            "groupBy", named: "\(name)-select", keySerde: keySerde, valueSerde: ChangeSerde(valueSerde), changesKey: true
        ) { info, task, next in
            task.factory.flatMap(info, { k, change -> [(K2, Change<V2>)] in
                let old = try change.old.map { try selector(k, $0) }
                let new = try change.new.map { try selector(k, $0) }
                // An update that selects the same key and value as before would subtract and add
                // the same contribution: two records through the repartition topic for nothing.
                if let old, let new, try sameBytes(old, new, keySerde, valueSerde) { return [] }
                var out: [(K2, Change<V2>)] = []
                if let old { out.append((old.0, Change(new: nil, old: old.1))) }
                if let new { out.append((new.0, Change(new: new.1, old: nil))) }
                return out
            }, downstream: next)
        }
        return GroupedTable(stream: rekeyed.repartition(named: name), valueSerde: value)
    }
}

/// How a windowed table's updates are held back.
public enum Suppression: Sendable {
    /// Nothing until the window closes (end plus grace behind stream time), then its final value
    /// once: Kafka Streams' `Suppressed.untilWindowCloses`.
    case untilWindowCloses
}

extension Table {
    /// Emits each window's result once, when the window has closed. The held-back results live in
    /// a changelogged store named `name`, so they survive restarts.
    public func suppress<K>(_ suppression: Suppression, named name: String) -> Table<Key, Value> where Key == Windowed<K> {
        let spec = StoreSpec(name: name, kind: .buffer)
        let suppressed = StatefulNode<Key, Change<Value>>(
            operation: "suppress", explicitName: name, parents: [node], keySerde: node.keySerde, valueSerde: nil, stores: [spec])
        suppressed.problems = missingSerdes(key: node.keySerde, value: valueSerde)
        if windowClose == nil { suppressed.problems.append("only windowed tables can be suppressed until their windows close") }
        if emitsFinal {
            suppressed.problems.append(
                "the table already carries each window's final result, once, as the window closes (emitStrategy(.onWindowClose) "
                    + "or an earlier suppress): a buffer would count every result as too late")
        }
        let isClosed = windowClose ?? { _, _ in true }
        let keySerde = node.keySerde
        let valueSerde = self.valueSerde
        node.connect(suppressed) { task in
            task.factory.suppress(
                suppressed.info, store: spec, key: keySerde!, value: valueSerde!, isClosed: isClosed,
                downstream: suppressed.downstream(task))
        }
        return Table(node: suppressed, valueSerde: valueSerde, windowClose: windowClose, emitsFinal: true)
    }
}

/// A table re-grouped by a new key (Kafka Streams' `KGroupedTable`).
public struct GroupedTable<Key, Value>: Sendable {
    let stream: Stream<Key, Change<Value>>
    let valueSerde: any Serde<Value>

    public func count(named name: String) -> Table<Key, Int64> {
        aggregate(named: name, serde: Int64Serde(), initializer: { 0 }, adder: { _, _, n in n + 1 }, subtractor: { _, _, n in n - 1 })
    }

    /// - Parameters:
    ///   - adder: adds a value that joined the key.
    ///   - subtractor: removes a value that left the key (its row changed or was deleted).
    public func reduce(
        named name: String, adder: @escaping @Sendable (Value, Value) throws -> Value,
        subtractor: @escaping @Sendable (Value, Value) throws -> Value
    ) -> Table<Key, Value> {
        aggregating(
            name, "reduce", valueSerde, adder: { _, value, current in try current.map { try adder($0, value) } ?? value },
            subtractor: { _, value, current in try subtractor(current, value) })
    }

    public func aggregate<A>(
        named name: String, serde: some Serde<A>, initializer: @escaping @Sendable () -> A,
        adder: @escaping @Sendable (Key, Value, A) throws -> A, subtractor: @escaping @Sendable (Key, Value, A) throws -> A
    ) -> Table<Key, A> {
        aggregating(
            name, "aggregate", serde, adder: { k, v, current in try adder(k, v, current ?? initializer()) },
            subtractor: { k, v, current in try subtractor(k, v, current) })
    }

    private func aggregating<A>(
        _ name: String, _ operation: String, _ serde: any Serde<A>, adder: @escaping @Sendable (Key, Value, A?) throws -> A,
        subtractor: @escaping @Sendable (Key, Value, A) throws -> A?
    ) -> Table<Key, A> {
        let spec = StoreSpec(name: name, kind: .keyValue)
        let keySerde = stream.node.keySerde
        let node = StatefulNode<Key, Change<A>>(
            operation: "table-" + operation, explicitName: name, parents: [stream.node], keySerde: keySerde, valueSerde: nil,
            stores: [spec])
        node.problems = missingSerdes(key: keySerde, value: Optional(serde))
        if let keySerde { node.query = (.keyValue, StoreQueryCodec(key: keySerde, value: serde)) }
        stream.node.connect(node) { task in
            task.factory.tableAggregate(
                node.info, store: spec, key: keySerde!, aggregate: serde, adder: adder, subtractor: subtractor,
                downstream: node.downstream(task))
        }
        return Table(node: node, valueSerde: serde, store: spec)
    }
}

/// Whether two selected (key, value) pairs serialize to the same bytes.
private func sameBytes<K, V>(_ a: (K, V), _ b: (K, V), _ key: AnySerde<K>, _ value: AnySerde<V>) throws -> Bool {
    var x: [UInt8] = []
    var y: [UInt8] = []
    guard try key.serialize(a.0, into: &x) == key.serialize(b.0, into: &y), x == y else { return false }
    x.removeAll(keepingCapacity: true)
    y.removeAll(keepingCapacity: true)
    return try value.serialize(a.1, into: &x) == value.serialize(b.1, into: &y) && x == y
}
