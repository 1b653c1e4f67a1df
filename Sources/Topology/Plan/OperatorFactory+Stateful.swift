/// The stateful half of the operator factory: aggregations, tables, suppression.
///
/// An aggregator receives the previous aggregate, `nil` when there is none yet.
public protocol StatefulOperatorFactory: AnyObject {
    func aggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<K, Change<A>>
    ) -> any Processor<K, V>

    func windowedAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: TimeWindows, emit: EmitStrategy, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V>

    func slidingAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: SlidingWindows, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V>

    func sessionAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: SessionWindows, emit: EmitStrategy, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, merger: @escaping @Sendable (K, A, A) throws -> A,
        downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V>

    /// Materializes a topic as a table: the latest value per key; `nil` (a tombstone) deletes.
    func tableSource<K, V>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, value: any Serde<V>,
        downstream: any Processor<K, Change<V>>
    ) -> any Processor<K, V?>

    /// Aggregates table updates: the old value is subtracted, the new one added.
    func tableAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, aggregate: any Serde<A>,
        adder: @escaping @Sendable (K, V, A?) throws -> A, subtractor: @escaping @Sendable (K, V, A) throws -> A?,
        downstream: any Processor<K, Change<A>>
    ) -> any Processor<K, Change<V>>

    /// Holds each window's latest result back until the window closes, then forwards it once.
    func suppress<K, V>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<Windowed<K>>, value: any Serde<V>,
        isClosed: @escaping @Sendable (Window, Int64) -> Bool, downstream: any Processor<Windowed<K>, Change<V>>
    ) -> any Processor<Windowed<K>, Change<V>>
}
