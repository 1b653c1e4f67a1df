import SluiceTopology

// Join operators: each opens typed views of the stores it reads, in this task.
extension TaskOperatorFactory {
    private var taskStores: StateManager { context.stateManager! }

    func streamTableJoin<K, V, VT, VOut>(
        _ node: NodeInfo, table: StoreSpec, key: any Serde<K>, tableValue: any Serde<VT>, _ joiner: TableJoiner<V, VT, VOut>,
        downstream: any Processor<K, VOut>
    ) -> any Processor<K, V> {
        StreamTableJoinOperator(
            context: context, node: node, table: KeyValueState(taskStores.store(table), key: key, value: tableValue, cachesDecoded: true),
            joiner: joiner, downstream: downstream)
    }

    func globalTableJoin<K, V, GK, GV, VOut>(
        _ node: NodeInfo, global: GlobalTableSpec, key: any Serde<GK>, value: any Serde<GV>, inner: Bool,
        selector: @escaping @Sendable (K, V) throws -> GK, _ joiner: @escaping @Sendable (V, GV?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) -> any Processor<K, V> {
        guard let store = context.globalStores?.stores[global.store] else {
            preconditionFailure("global store \(global.store) was not opened: the runtime opens every global table of the plan")
        }
        return GlobalTableJoinOperator(
            context: context, node: node, store: store, key: key, value: value, inner: inner, selector: selector, joiner: joiner,
            downstream: downstream)
    }

    func streamStreamJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, kind: JoinKind, windows: JoinWindows, stores: StreamJoinStores, key: any Serde<K>,
        left: any Serde<VL>, right: any Serde<VR>, _ joiner: @escaping @Sendable (VL?, VR?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) -> (left: any Processor<K, VL>, right: any Processor<K, VR>) {
        let join = StreamStreamJoinOperator(
            context: context, node: node, kind: kind, windows: windows,
            left: JoinWindowState(taskStores.store(stores.left), key: key, value: left),
            right: JoinWindowState(taskStores.store(stores.right), key: key, value: right),
            outer: stores.outer.map { OuterJoinBuffer(taskStores.store($0), key: key, left: left, right: right) }, joiner: joiner,
            downstream: downstream)
        return (StreamJoinLeft(join), StreamJoinRight(join))
    }

    func tableTableJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, kind: JoinKind, left: StoreSpec, right: StoreSpec, key: any Serde<K>, leftValue: any Serde<VL>,
        rightValue: any Serde<VR>, _ joiner: @escaping @Sendable (VL?, VR?) throws -> VOut,
        downstream: any Processor<K, Change<VOut>>
    ) -> (left: any Processor<K, Change<VL>>, right: any Processor<K, Change<VR>>) {
        let join = TableTableJoinOperator(
            context: context, node: node, kind: kind, left: KeyValueState(taskStores.store(left), key: key, value: leftValue, cachesDecoded: true),
            right: KeyValueState(taskStores.store(right), key: key, value: rightValue, cachesDecoded: true), joiner: joiner, downstream: downstream)
        return (TableJoinLeft(join), TableJoinRight(join))
    }

    func foreignKeySubscribe<K, VL, KO>(
        _ node: NodeInfo, leftValue: any Serde<VL>, foreignKeySerde: any Serde<KO>, foreignKey: @escaping @Sendable (VL) throws -> KO,
        downstream: any Processor<KO, Subscription<K>>
    ) -> any Processor<K, Change<VL>> {
        ForeignKeySubscribeOperator(
            context: context, node: node, leftSerde: leftValue, foreignKeySerde: foreignKeySerde, foreignKey: foreignKey,
            downstream: downstream)
    }

    func foreignKeySubscriptions<K, KO, VR>(
        _ node: NodeInfo, subscriptions: StoreSpec, right: StoreSpec, foreignKey: any Serde<KO>, primaryKey: any Serde<K>,
        rightValue: any Serde<VR>, downstream: any Processor<K, SubscriptionResponse<VR>>
    ) -> (subscriptions: any Processor<KO, Subscription<K>>, rightChanges: any Processor<KO, Change<VR>>) {
        let join = ForeignKeySubscriptionsOperator(
            context: context, node: node, subscriptions: taskStores.store(subscriptions),
            right: KeyValueState(taskStores.store(right), key: foreignKey, value: rightValue, cachesDecoded: true), foreignKey: foreignKey,
            primaryKey: primaryKey, downstream: downstream)
        return (ForeignKeySubscriptionInput(join), ForeignKeyRightInput(join))
    }

    func foreignKeyResponseJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, left: StoreSpec, results: StoreSpec, key: any Serde<K>, leftValue: any Serde<VL>,
        result: any Serde<VOut>, inner: Bool, _ joiner: @escaping @Sendable (VL, VR?) throws -> VOut,
        downstream: any Processor<K, Change<VOut>>
    ) -> any Processor<K, SubscriptionResponse<VR>> {
        ForeignKeyResponseJoinOperator(
            context: context, node: node, left: KeyValueState(taskStores.store(left), key: key, value: leftValue, cachesDecoded: true), leftSerde: leftValue,
            results: KeyValueState(taskStores.store(results), key: key, value: result, cachesDecoded: true), inner: inner, joiner: joiner,
            downstream: downstream)
    }
}
