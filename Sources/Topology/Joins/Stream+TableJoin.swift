// Stream-table and stream-global-table joins (Kafka Streams' `KStream.join(KTable)` and
// `KStream.join(GlobalKTable)`): a lookup of the table's value when the stream record is processed.
// Table updates trigger nothing.

extension Stream {
    /// Joins each record with `table`'s current value for its key; records whose key the table
    /// lacks are dropped (counted as filtered):
    ///
    /// ```swift
    /// let users = Table("users", key: .string, value: .json(User.self))
    /// events.join(users) { event, user in EnrichedEvent(event, user) }
    /// ```
    /// The stream and the table's topic must be co-partitioned (checked when a worker starts).
    /// - Parameter name: the join's name; required when a key change precedes the join, since the
    ///   stream is then repartitioned through `<applicationID>-<name>-left-repartition`.
    public func join<VT, VOut>(
        _ table: Table<Key, VT>, named name: String? = nil, _ joiner: @escaping @Sendable (Value, VT) throws -> VOut
    ) -> Stream<Key, VOut> {
        tableJoin(table, name, .inner(joiner))
    }

    /// Joins each record with `table`'s current value for its key, or with `nil` when it has none.
    public func leftJoin<VT, VOut>(
        _ table: Table<Key, VT>, named name: String? = nil, _ joiner: @escaping @Sendable (Value, VT?) throws -> VOut
    ) -> Stream<Key, VOut> {
        tableJoin(table, name, .left(joiner))
    }

    private func tableJoin<VT, VOut>(_ table: Table<Key, VT>, _ name: String?, _ joiner: TableJoiner<Value, VT, VOut>) -> Stream<Key, VOut> {
        let inner = if case .inner = joiner { true } else { false }
        var problems: [String] = []
        var input = self
        if node.keyChanged {
            if let name {
                input = repartition(named: "\(name)-left")
            } else {
                problems.append("the key may have changed before this join: name it (named:) so the repartition topic it needs has a stable name")
            }
        }
        let keySerde = table.node.keySerde
        let tableSerde = table.valueSerde
        let join = JoinNode<Key, VOut>(
            operation: inner ? "stream-table-join" : "stream-table-leftJoin", explicitName: name, parents: [input.node, table.node],
            keySerde: input.node.keySerde ?? keySerde, valueSerde: carried(node.valueSerde, to: VOut.self))
        join.problems = problems + missingSerdes(key: keySerde, value: tableSerde)
        join.lookupParent = 1
        if table.store == nil {
            join.problems.append("the table it joins keeps no store of its values (a windowed, suppressed or joined table cannot be looked up)")
        }
        let store = table.store
        input.node.connect(join) { task in
            task.factory.streamTableJoin(
                join.info, table: store!, key: keySerde!, tableValue: tableSerde!, joiner, downstream: join.downstream(task))
        }
        return Stream<Key, VOut>(node: join)
    }

    /// Joins each record with `table`'s value for the key `key` picks from the record; records
    /// whose key the table lacks are dropped. No co-partitioning is needed: every worker holds the
    /// whole table.
    ///
    /// ```swift
    /// let countries = GlobalTable("countries", key: .string, value: .json(Country.self))
    /// orders.join(countries, key: { _, order in order.countryCode }) { order, country in ... }
    /// ```
    public func join<GK, GV, VOut>(
        _ table: GlobalTable<GK, GV>, named name: String? = nil, key: @escaping @Sendable (Key, Value) throws -> GK,
        _ joiner: @escaping @Sendable (Value, GV) throws -> VOut
    ) -> Stream<Key, VOut> {
        globalJoin(table, inner: true, name, key) { v, g in try joiner(v, g!) }
    }

    /// Joins each record with `table`'s value for the key `key` picks, or with `nil` when it has none.
    public func leftJoin<GK, GV, VOut>(
        _ table: GlobalTable<GK, GV>, named name: String? = nil, key: @escaping @Sendable (Key, Value) throws -> GK,
        _ joiner: @escaping @Sendable (Value, GV?) throws -> VOut
    ) -> Stream<Key, VOut> {
        globalJoin(table, inner: false, name, key, joiner)
    }

    private func globalJoin<GK, GV, VOut>(
        _ table: GlobalTable<GK, GV>, inner: Bool, _ name: String?, _ selector: @escaping @Sendable (Key, Value) throws -> GK,
        _ joiner: @escaping @Sendable (Value, GV?) throws -> VOut
    ) -> Stream<Key, VOut> {
        let join = JoinNode<Key, VOut>(
            operation: inner ? "stream-globalTable-join" : "stream-globalTable-leftJoin", explicitName: name, parents: [node],
            keySerde: node.keySerde, valueSerde: carried(node.valueSerde, to: VOut.self))
        join.globals = [table.spec]
        join.copartitions = false
        node.connect(join) { task in
            task.factory.globalTableJoin(
                join.info, global: table.spec, key: table.keySerde, value: table.valueSerde, inner: inner, selector: selector, joiner,
                downstream: join.downstream(task))
        }
        return Stream<Key, VOut>(node: join)
    }
}
