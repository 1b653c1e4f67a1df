// Windowed stream-stream joins (Kafka Streams' `KStream.join(KStream, ValueJoiner, JoinWindows)`).

extension Stream {
    /// Joins records of this stream and `other` with equal keys whose timestamps lie within `windows`:
    ///
    /// ```swift
    /// impressions.join(clicks, windows: .timeDifference(.seconds(30)), named: "impression-clicks") { shown, clicked in
    ///     Attribution(shown, clicked)
    /// }
    /// ```
    /// Each side's records wait in a store (`<name>-left-store`, `<name>-right-store`) until their
    /// window closes. When a key change precedes the join, that side is repartitioned first through
    /// `<applicationID>-<name>-left-repartition` (or `-right-`).
    /// - Parameter name: required: it names the join's stores and repartition topics.
    public func join<VR, VOut>(
        _ other: Stream<Key, VR>, windows: JoinWindows, named name: String,
        _ joiner: @escaping @Sendable (Value, VR) throws -> VOut
    ) -> Stream<Key, VOut> {
        streamJoin(other, .inner, windows, name) { l, r in try joiner(l!, r!) }
    }

    /// Like `join`, and every record of this stream that found no partner once its window closed
    /// is joined with `nil` (never earlier: a partner may still come until then).
    public func leftJoin<VR, VOut>(
        _ other: Stream<Key, VR>, windows: JoinWindows, named name: String,
        _ joiner: @escaping @Sendable (Value, VR?) throws -> VOut
    ) -> Stream<Key, VOut> {
        streamJoin(other, .left, windows, name) { l, r in try joiner(l!, r) }
    }

    /// Like `leftJoin`, for the records of both sides.
    public func outerJoin<VR, VOut>(
        _ other: Stream<Key, VR>, windows: JoinWindows, named name: String,
        _ joiner: @escaping @Sendable (Value?, VR?) throws -> VOut
    ) -> Stream<Key, VOut> {
        streamJoin(other, .outer, windows, name, joiner)
    }

    private func streamJoin<VR, VOut>(
        _ other: Stream<Key, VR>, _ kind: JoinKind, _ windows: JoinWindows, _ name: String,
        _ joiner: @escaping @Sendable (Value?, VR?) throws -> VOut
    ) -> Stream<Key, VOut> {
        let left = node.keyChanged ? repartition(named: "\(name)-left") : self
        let right = other.node.keyChanged ? other.repartition(named: "\(name)-right") : other
        let stores = StreamJoinStores(
            left: StoreSpec(name: "\(name)-left-store", kind: .keyValue), right: StoreSpec(name: "\(name)-right-store", kind: .keyValue),
            outer: kind == .inner ? nil : StoreSpec(name: "\(name)-outer-store", kind: .keyValue))
        let keySerde = left.node.keySerde ?? right.node.keySerde
        let leftSerde = left.node.valueSerde
        let rightSerde = right.node.valueSerde
        let join = JoinNode<Key, VOut>(
            operation: "stream-" + kind.operation, explicitName: name, parents: [left.node, right.node], keySerde: keySerde,
            valueSerde: carried(leftSerde, to: VOut.self), stores: stores.all)
        join.problems = missingSerdes(key: keySerde, value: leftSerde) + windows.problems
        if rightSerde == nil { join.problems.append("needs a value serde for \(VR.self) (the right side)") }
        func sides(_ task: TaskBuild) -> JoinSides<any Processor<Key, Value>, any Processor<Key, VR>> {
            task.memoizedSides(join) {
                task.factory.streamStreamJoin(
                    join.info, kind: kind, windows: windows, stores: stores, key: keySerde!, left: leftSerde!, right: rightSerde!, joiner,
                    downstream: join.downstream(task))
            }
        }
        left.node.connect(join) { task in sides(task).left }
        right.node.connect(join) { task in sides(task).right }
        return Stream<Key, VOut>(node: join)
    }
}
