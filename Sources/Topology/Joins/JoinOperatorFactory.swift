/// The join half of the operator factory (see `OperatorFactory`).
///
/// Joins that read a table read its key-value store, named by the table's `StoreSpec`, in the same
/// task: the plan puts a table and the streams joined with it in one sub-topology.
public protocol JoinOperatorFactory: AnyObject {
    /// Joins each stream record with the table's value for its key at the time it is processed.
    func streamTableJoin<K, V, VT, VOut>(
        _ node: NodeInfo, table: StoreSpec, key: any Serde<K>, tableValue: any Serde<VT>, _ joiner: TableJoiner<V, VT, VOut>,
        downstream: any Processor<K, VOut>
    ) -> any Processor<K, V>

    /// Joins each stream record with a global table's value for the key `selector` picks.
    func globalTableJoin<K, V, GK, GV, VOut>(
        _ node: NodeInfo, global: GlobalTableSpec, key: any Serde<GK>, value: any Serde<GV>, inner: Bool,
        selector: @escaping @Sendable (K, V) throws -> GK, _ joiner: @escaping @Sendable (V, GV?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) -> any Processor<K, V>

    /// A windowed stream-stream join: the processors each side's records go to.
    func streamStreamJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, kind: JoinKind, windows: JoinWindows, stores: StreamJoinStores, key: any Serde<K>,
        left: any Serde<VL>, right: any Serde<VR>, _ joiner: @escaping @Sendable (VL?, VR?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) -> (left: any Processor<K, VL>, right: any Processor<K, VR>)

    /// A table-table join on the key: each side's updates look up the other side's store.
    func tableTableJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, kind: JoinKind, left: StoreSpec, right: StoreSpec, key: any Serde<K>, leftValue: any Serde<VL>,
        rightValue: any Serde<VR>, _ joiner: @escaping @Sendable (VL?, VR?) throws -> VOut,
        downstream: any Processor<K, Change<VOut>>
    ) -> (left: any Processor<K, Change<VL>>, right: any Processor<K, Change<VR>>)

    /// Foreign-key join, left side: turns each left update into subscriptions to its foreign keys.
    func foreignKeySubscribe<K, VL, KO>(
        _ node: NodeInfo, leftValue: any Serde<VL>, foreignKeySerde: any Serde<KO>, foreignKey: @escaping @Sendable (VL) throws -> KO,
        downstream: any Processor<KO, Subscription<K>>
    ) -> any Processor<K, Change<VL>>

    /// Foreign-key join, right side: keeps the subscriptions per foreign key, and answers each
    /// subscription, and every subscriber of a right value that changed, with the right value.
    func foreignKeySubscriptions<K, KO, VR>(
        _ node: NodeInfo, subscriptions: StoreSpec, right: StoreSpec, foreignKey: any Serde<KO>, primaryKey: any Serde<K>,
        rightValue: any Serde<VR>, downstream: any Processor<K, SubscriptionResponse<VR>>
    ) -> (subscriptions: any Processor<KO, Subscription<K>>, rightChanges: any Processor<KO, Change<VR>>)

    /// Foreign-key join, back on the left: joins a response with the left value it answers, unless
    /// that value changed since (its hash differs), and keeps the results to emit exact updates.
    func foreignKeyResponseJoin<K, VL, VR, VOut>(
        _ node: NodeInfo, left: StoreSpec, results: StoreSpec, key: any Serde<K>, leftValue: any Serde<VL>,
        result: any Serde<VOut>, inner: Bool, _ joiner: @escaping @Sendable (VL, VR?) throws -> VOut,
        downstream: any Processor<K, Change<VOut>>
    ) -> any Processor<K, SubscriptionResponse<VR>>
}

/// The stores of a stream-stream join: each side's records in its window, and for left and outer
/// joins the records still without a partner, until their windows close.
public struct StreamJoinStores: Sendable, Hashable {
    public let left: StoreSpec
    public let right: StoreSpec
    public let outer: StoreSpec?

    public var all: [StoreSpec] { [left, right] + (outer.map { [$0] } ?? []) }
}

/// The closure of a stream-table join, as the user gave it.
public enum TableJoiner<V, VT, VOut>: Sendable {
    /// Records whose key the table lacks are dropped (counted as filtered); the others meet their
    /// row, never an optional.
    case inner(@Sendable (V, VT) throws -> VOut)
    /// Records whose key the table lacks meet `nil`.
    case left(@Sendable (V, VT?) throws -> VOut)
}
