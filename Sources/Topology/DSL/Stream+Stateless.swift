// The stateless operators of Kafka Streams' KStream. A closure that throws sends the record to
// the dead-letter topic with the error; processing goes on.

extension Stream {
    /// Keeps the records for which `predicate` holds.
    public func filter(named name: String? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> Stream {
        adding("filter", named: name, keySerde: node.keySerde, valueSerde: node.valueSerde) { info, task, next in
            task.factory.filter(info, predicate, downstream: next)
        }
    }

    /// Drops the records for which `predicate` holds.
    public func filterNot(named name: String? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> Stream {
        adding("filterNot", named: name, keySerde: node.keySerde, valueSerde: node.valueSerde) { info, task, next in
            task.factory.filter(info, { k, v in try !predicate(k, v) }, downstream: next)
        }
    }

    /// Replaces key and value. The key changes, so a later grouping or join repartitions.
    public func map<K2, V2>(
        named name: String? = nil, _ transform: @escaping @Sendable (Key, Value) throws -> (K2, V2)
    ) -> Stream<K2, V2> {
        adding(
            "map", named: name, keySerde: carried(node.keySerde, to: K2.self), valueSerde: carried(node.valueSerde, to: V2.self),
            changesKey: true
        ) { info, task, next in
            task.factory.map(info, transform, downstream: next)
        }
    }

    /// Replaces the value, keeping the key.
    public func mapValues<V2>(named name: String? = nil, _ transform: @escaping @Sendable (Value) throws -> V2) -> Stream<Key, V2> {
        mapValues(named: name) { _, value in try transform(value) }
    }

    /// Replaces the value, given the key too.
    public func mapValues<V2>(
        named name: String? = nil, _ transform: @escaping @Sendable (Key, Value) throws -> V2
    ) -> Stream<Key, V2> {
        adding("mapValues", named: name, keySerde: node.keySerde, valueSerde: carried(node.valueSerde, to: V2.self)) {
            info, task, next in task.factory.mapValues(info, transform, downstream: next)
        }
    }

    /// Replaces the value, and drops the record when `transform` returns `nil` (counted as
    /// filtered): a `filter` and a `mapValues` in one step, for a parse that may not apply.
    public func compactMapValues<V2>(
        named name: String? = nil, _ transform: @escaping @Sendable (Value) throws -> V2?
    ) -> Stream<Key, V2> {
        adding("compactMapValues", named: name, keySerde: node.keySerde, valueSerde: carried(node.valueSerde, to: V2.self)) {
            info, task, next in task.factory.compactMapValues(info, { _, value in try transform(value) }, downstream: next)
        }
    }

    /// Replaces the key, keeping the value.
    public func selectKey<K2>(named name: String? = nil, _ key: @escaping @Sendable (Key, Value) throws -> K2) -> Stream<K2, Value> {
        adding("selectKey", named: name, keySerde: carried(node.keySerde, to: K2.self), valueSerde: node.valueSerde, changesKey: true) {
            info, task, next in task.factory.map(info, { k, v in (try key(k, v), v) }, downstream: next)
        }
    }

    /// Turns each record into zero or more records.
    public func flatMap<K2, V2>(
        named name: String? = nil, _ transform: @escaping @Sendable (Key, Value) throws -> [(K2, V2)]
    ) -> Stream<K2, V2> {
        adding(
            "flatMap", named: name, keySerde: carried(node.keySerde, to: K2.self),
            valueSerde: carried(node.valueSerde, to: V2.self), changesKey: true
        ) { info, task, next in
            task.factory.flatMap(info, transform, downstream: next)
        }
    }

    /// Turns each value into zero or more values, keeping the key.
    public func flatMapValues<V2>(
        named name: String? = nil, _ transform: @escaping @Sendable (Value) throws -> [V2]
    ) -> Stream<Key, V2> {
        adding("flatMapValues", named: name, keySerde: node.keySerde, valueSerde: carried(node.valueSerde, to: V2.self)) {
            info, task, next in task.factory.flatMapValues(info, transform, downstream: next)
        }
    }

    /// Runs `action` for each record and passes the record on unchanged.
    public func peek(named name: String? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) -> Stream {
        adding("peek", named: name, keySerde: node.keySerde, valueSerde: node.valueSerde) { info, task, next in
            task.factory.peek(info, action, downstream: next)
        }
    }

    /// One stream of this stream's records and `others`'.
    public func merge(_ others: Stream..., named name: String? = nil) -> Stream {
        let parents: [StreamNode<Key, Value>] = [node] + others.map(\.node)
        let merged = MergeNode<Key, Value>(
            operation: "merge", explicitName: name, parents: parents, keySerde: node.keySerde, valueSerde: node.valueSerde)
        merged.keyChanged = parents.contains { $0.keyChanged }
        for p in parents { p.connect(merged) { task in merged.input(task) } }
        return Stream(node: merged)
    }
}
