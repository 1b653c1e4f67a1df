// Table-table joins on the key (Kafka Streams' `KTable.join(KTable)`): an update of either side
// looks up the other side's store and emits the new result with the one it replaces; a result that
// disappears is emitted as a deletion (`new == nil`), a tombstone once written to a topic.

extension Table {
    /// Joins rows of both tables with equal keys; a key present on one side only has no result.
    /// - Parameter value: the result's serde, so it can be written without naming one again.
    public func join<VR, VOut>(
        _ other: Table<Key, VR>, named name: String? = nil, value: (any Serde<VOut>)? = nil,
        _ joiner: @escaping @Sendable (Value, VR) throws -> VOut
    ) -> Table<Key, VOut> {
        tableJoin(other, .inner, name, value) { l, r in try joiner(l!, r!) }
    }

    /// Every row of this table, joined with `other`'s row of its key or with `nil`.
    public func leftJoin<VR, VOut>(
        _ other: Table<Key, VR>, named name: String? = nil, value: (any Serde<VOut>)? = nil,
        _ joiner: @escaping @Sendable (Value, VR?) throws -> VOut
    ) -> Table<Key, VOut> {
        tableJoin(other, .left, name, value) { l, r in try joiner(l!, r) }
    }

    /// Every key of either table, joined with `nil` for the side that lacks it.
    public func outerJoin<VR, VOut>(
        _ other: Table<Key, VR>, named name: String? = nil, value: (any Serde<VOut>)? = nil,
        _ joiner: @escaping @Sendable (Value?, VR?) throws -> VOut
    ) -> Table<Key, VOut> {
        tableJoin(other, .outer, name, value, joiner)
    }

    private func tableJoin<VR, VOut>(
        _ other: Table<Key, VR>, _ kind: JoinKind, _ name: String?, _ value: (any Serde<VOut>)?,
        _ joiner: @escaping @Sendable (Value?, VR?) throws -> VOut
    ) -> Table<Key, VOut> {
        let keySerde = node.keySerde ?? other.node.keySerde
        let join = JoinNode<Key, Change<VOut>>(
            operation: "table-" + kind.operation, explicitName: name, parents: [node, other.node], keySerde: keySerde, valueSerde: nil)
        join.problems = missingSerdes(key: keySerde, value: valueSerde)
        if other.valueSerde == nil { join.problems.append("needs a value serde for \(VR.self) (the right side)") }
        if store == nil || other.store == nil {
            join.problems.append("both tables must keep a store of their values (a windowed, suppressed or joined table cannot be looked up)")
        }
        let (leftStore, rightStore, leftSerde, rightSerde) = (store, other.store, valueSerde, other.valueSerde)
        func sides(_ task: TaskBuild) -> JoinSides<any Processor<Key, Change<Value>>, any Processor<Key, Change<VR>>> {
            task.memoizedSides(join) {
                task.factory.tableTableJoin(
                    join.info, kind: kind, left: leftStore!, right: rightStore!, key: keySerde!, leftValue: leftSerde!,
                    rightValue: rightSerde!, joiner, downstream: join.downstream(task))
            }
        }
        node.connect(join) { task in sides(task).left }
        other.node.connect(join) { task in sides(task).right }
        return Table<Key, VOut>(node: join, valueSerde: value)
    }
}
