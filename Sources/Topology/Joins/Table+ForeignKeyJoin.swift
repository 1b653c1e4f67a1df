// Foreign-key table-table joins (Kafka Streams' `KTable.join(KTable, Function, ValueJoiner)`, KIP-213):
// a left row joins the right row whose key its value names. The left side subscribes to its
// foreign key through `<applicationID>-<name>-subscription-registration` (partitioned like the
// right table); the right side keeps the subscriptions and answers through
// `<applicationID>-<name>-subscription-response` (partitioned like the left table) whenever a
// subscription arrives or the right row changes. Each subscription carries a hash of the left
// value, and an answer whose hash is no longer the left row's is dropped: it answers a value the
// row has since replaced.

extension Table {
    /// Joins each row with the row of `other` whose key `foreignKey` reads from this row's value;
    /// rows whose foreign row is absent have no result.
    ///
    /// ```swift
    /// let orders = Table("orders", key: .string, value: .json(Order.self))
    /// let products = Table("products", key: .string, value: .json(Product.self))
    /// orders.join(products, foreignKey: { $0.productID }, named: "order-products", value: .json(OrderLine.self)) { order, product in
    ///     OrderLine(order, product)
    /// }
    /// ```
    /// - Parameters:
    ///   - name: required: it names the internal topics and the stores (`<name>` holds the results,
    ///     `<name>-subscriptions-store` the subscriptions).
    ///   - value: the result's serde: results are kept, so that each update carries the one it replaces.
    public func join<KO, VR, VOut>(
        _ other: Table<KO, VR>, foreignKey: @escaping @Sendable (Value) throws -> KO, named name: String, value: some Serde<VOut>,
        _ joiner: @escaping @Sendable (Value, VR) throws -> VOut
    ) -> Table<Key, VOut> {
        foreignKeyJoin(other, foreignKey, name, value, inner: true) { l, r in try joiner(l, r!) }
    }

    /// Like the foreign-key `join`, and rows whose foreign row is absent join with `nil`.
    public func leftJoin<KO, VR, VOut>(
        _ other: Table<KO, VR>, foreignKey: @escaping @Sendable (Value) throws -> KO, named name: String, value: some Serde<VOut>,
        _ joiner: @escaping @Sendable (Value, VR?) throws -> VOut
    ) -> Table<Key, VOut> {
        foreignKeyJoin(other, foreignKey, name, value, inner: false, joiner)
    }

    private func foreignKeyJoin<KO, VR, VOut>(
        _ other: Table<KO, VR>, _ foreignKey: @escaping @Sendable (Value) throws -> KO, _ name: String, _ value: some Serde<VOut>,
        inner: Bool, _ joiner: @escaping @Sendable (Value, VR?) throws -> VOut
    ) -> Table<Key, VOut> {
        let keySerde = node.keySerde
        let foreignKeySerde = other.node.keySerde
        let (leftSerde, rightSerde, leftStore, rightStore) = (valueSerde, other.valueSerde, store, other.store)
        var problems = missingSerdes(key: keySerde, value: leftSerde)
        if foreignKeySerde == nil { problems.append("needs a key serde for \(KO.self) (the right table's key)") }
        if rightSerde == nil { problems.append("needs a value serde for \(VR.self) (the right side)") }
        if leftStore == nil || rightStore == nil {
            problems.append("both tables must keep a store of their values (a windowed, suppressed or joined table cannot be looked up)")
        }
        let subscriptionTopic = "\(name)-subscription-registration"
        let responseTopic = "\(name)-subscription-response"
        let subscriptionSerde = keySerde.map { SubscriptionSerde($0) }
        let responseSerde = rightSerde.map { SubscriptionResponseSerde($0) }

        // Left: each update subscribes to its foreign key.
        let subscribe = StreamNode<KO, Subscription<Key>>(
            operation: "fk-subscribe", explicitName: "\(name)-subscribe", parents: [node], keySerde: foreignKeySerde,
            valueSerde: subscriptionSerde)
        subscribe.problems = problems
        node.connect(subscribe) { task in
            task.factory.foreignKeySubscribe(
                subscribe.info, leftValue: leftSerde!, foreignKeySerde: foreignKeySerde!, foreignKey: foreignKey,
                downstream: subscribe.downstream(task))
        }
        let subscriptionSink = SinkNode<KO, Subscription<Key>>(
            target: .internal(subscriptionTopic), explicitName: "\(name)-subscription-sink", parent: subscribe,
            keySerde: foreignKeySerde, valueSerde: subscriptionSerde)
        subscribe.connect(subscriptionSink) { task in subscriptionSink.build(task) }

        // Right: subscriptions meet the right table, co-partitioned by foreign key.
        let subscriptionSource = SourceNode<KO, Subscription<Key>>(
            topics: [], internalTopic: subscriptionTopic, explicitName: "\(name)-subscription-source", keySerde: foreignKeySerde,
            valueSerde: subscriptionSerde, timestamp: nil)
        subscriptionSource.feeder = subscriptionSink
        let subscriptionStore = StoreSpec(name: "\(name)-subscriptions-store", kind: .keyValue)
        let subscriptions = JoinNode<Key, SubscriptionResponse<VR>>(
            operation: "fk-subscriptions", explicitName: "\(name)-subscriptions", parents: [subscriptionSource, other.node],
            keySerde: keySerde, valueSerde: responseSerde, stores: [subscriptionStore])
        func sides(_ task: TaskBuild) -> JoinSides<any Processor<KO, Subscription<Key>>, any Processor<KO, Change<VR>>> {
            task.memoizedSides(subscriptions) {
                task.factory.foreignKeySubscriptions(
                    subscriptions.info, subscriptions: subscriptionStore, right: rightStore!, foreignKey: foreignKeySerde!,
                    primaryKey: keySerde!, rightValue: rightSerde!, downstream: subscriptions.downstream(task))
            }
        }
        subscriptionSource.connect(subscriptions) { task in sides(task).left }
        other.node.connect(subscriptions) { task in sides(task).right }
        let responseSink = SinkNode<Key, SubscriptionResponse<VR>>(
            target: .internal(responseTopic), explicitName: "\(name)-response-sink", parent: subscriptions, keySerde: keySerde,
            valueSerde: responseSerde)
        subscriptions.connect(responseSink) { task in responseSink.build(task) }

        // Left again: responses meet the left table, co-partitioned by primary key.
        let responseSource = SourceNode<Key, SubscriptionResponse<VR>>(
            topics: [], internalTopic: responseTopic, explicitName: "\(name)-response-source", keySerde: keySerde,
            valueSerde: responseSerde, timestamp: nil)
        responseSource.feeder = responseSink
        let resultStore = StoreSpec(name: name, kind: .keyValue)
        let result = JoinNode<Key, Change<VOut>>(
            operation: inner ? "fk-join" : "fk-leftJoin", explicitName: name, parents: [responseSource, node], keySerde: keySerde,
            valueSerde: nil, stores: [resultStore])
        responseSource.connect(result) { task in
            task.factory.foreignKeyResponseJoin(
                result.info, left: leftStore!, results: resultStore, key: keySerde!, leftValue: leftSerde!, result: value, inner: inner,
                joiner, downstream: result.downstream(task))
        }
        return Table<Key, VOut>(node: result, valueSerde: value, store: resultStore)
    }
}
