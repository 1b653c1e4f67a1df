import SluiceTopology

/// Builds one task's operators from the plan; every operator shares the task's context.
final class TaskOperatorFactory: OperatorFactory {
    let context: TaskContext

    init(context: TaskContext) { self.context = context }

    func source<K, V>(
        _ node: NodeInfo, key: any Serde<K>, value: any Serde<V>, timestamp: (@Sendable (K, V, Int64) -> Int64)?,
        repartition: Bool, downstream: any Processor<K, V>
    ) -> any SourceProcessor {
        SourceOperator(
            context: context, node: node, key: key, value: value, timestamp: timestamp, repartition: repartition, downstream: downstream)
    }

    func filter<K, V>(
        _ node: NodeInfo, _ predicate: @escaping @Sendable (K, V) throws -> Bool, downstream: any Processor<K, V>
    ) -> any Processor<K, V> {
        FilterOperator(context: context, node: node, predicate: predicate, downstream: downstream)
    }

    func map<K, V, K2, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> (K2, V2), downstream: any Processor<K2, V2>
    ) -> any Processor<K, V> {
        MapOperator(context: context, node: node, transform: transform, downstream: downstream)
    }

    func mapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> V2, downstream: any Processor<K, V2>
    ) -> any Processor<K, V> {
        MapValuesOperator(context: context, node: node, transform: transform, downstream: downstream)
    }

    func compactMapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> V2?, downstream: any Processor<K, V2>
    ) -> any Processor<K, V> {
        CompactMapValuesOperator(context: context, node: node, transform: transform, downstream: downstream)
    }

    /// A table's updates as their new values (`toStream`).
    func newValues<K, V>(_ node: NodeInfo, downstream: any Processor<K, V>) -> any Processor<K, Change<V>> {
        NewValuesOperator(context: context, node: node, downstream: downstream)
    }

    func flatMap<K, V, K2, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> [(K2, V2)], downstream: any Processor<K2, V2>
    ) -> any Processor<K, V> {
        FlatMapOperator(context: context, node: node, transform: transform, downstream: downstream)
    }

    func flatMapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (V) throws -> [V2], downstream: any Processor<K, V2>
    ) -> any Processor<K, V> {
        FlatMapValuesOperator(context: context, node: node, transform: transform, downstream: downstream)
    }

    func peek<K, V>(
        _ node: NodeInfo, _ action: @escaping @Sendable (K, V) throws -> Void, downstream: (any Processor<K, V>)?
    ) -> any Processor<K, V> {
        PeekOperator(context: context, node: node, action: action, downstream: downstream)
    }

    func passThrough<K, V>(_ node: NodeInfo, downstream: any Processor<K, V>) -> any Processor<K, V> {
        PassThroughOperator(context: context, node: node, downstream: downstream)
    }

    func fanOut<K, V>(_ downstreams: [any Processor<K, V>]) -> any Processor<K, V> {
        FanOutOperator(downstreams: downstreams)
    }

    func branch<K, V>(
        _ node: NodeInfo, predicates: [@Sendable (K, V) throws -> Bool], branches: [any Processor<K, V>],
        otherwise: (any Processor<K, V>)?
    ) -> any Processor<K, V> {
        BranchOperator(context: context, node: node, predicates: predicates, branches: branches, otherwise: otherwise)
    }

    func sink<K, V>(
        _ node: NodeInfo, target: SinkTarget, topic: (@Sendable (K, V) throws -> String)?, key: any Serde<K>,
        value: any Serde<V>, repartition: Bool
    ) -> any Processor<K, V> {
        let fixed: String
        switch target {
        case .topic(let t): fixed = t
        case .internal(let suffix): fixed = "\(context.applicationID)-\(suffix)"
        case .dynamic: fixed = ""
        }
        if repartition, let partitions = context.partitions, let count = partitions.topics[fixed] {
            let sender = WatermarkSender(
                topic: fixed, partitions: count, writer: context.task.partition,
                writers: partitions.subtopologyWidths[context.task.subtopology], now: context.wallClock())
            context.onCommit { [context] in try sender.commit(streamTime: context.streamTime, now: context.wallClock(), to: context.collector) }
        }
        return SinkOperator(context: context, node: node, topic: fixed, chooser: topic, key: key, value: value)
    }
}

// Stateful operators: each opens typed views of the task's stores.
extension TaskOperatorFactory {
    private var stores: StateManager { context.stateManager! }

    func aggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<K, Change<A>>
    ) -> any Processor<K, V> {
        AggregateOperator(
            context: context, node: node, state: KeyValueState(stores.store(store), key: key, value: aggregate, cachesDecoded: true),
            aggregator: aggregator, downstream: downstream)
    }

    func windowedAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: TimeWindows, emit: EmitStrategy, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V> {
        WindowAggregateOperator(
            context: context, node: node,
            state: WindowState(stores.store(store), key: key, value: aggregate, retention: windows.size + windows.grace),
            windows: windows, emit: emit, aggregator: aggregator, downstream: downstream)
    }

    func slidingAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: SlidingWindows, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V> {
        SlidingWindowAggregateOperator(
            context: context, node: node,
            state: WindowState(
                stores.store(store), key: key, value: aggregate, retention: 2 * windows.timeDifference + windows.grace),
            windows: windows, aggregator: aggregator, downstream: downstream)
    }

    func sessionAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, windows: SessionWindows, emit: EmitStrategy, key: any Serde<K>, aggregate: any Serde<A>,
        _ aggregator: @escaping @Sendable (K, V, A?) throws -> A, merger: @escaping @Sendable (K, A, A) throws -> A,
        downstream: any Processor<Windowed<K>, Change<A>>
    ) -> any Processor<K, V> {
        SessionWindowAggregateOperator(
            context: context, node: node, state: SessionState(stores.store(store), key: key, value: aggregate, inMemory: true),
            windows: windows, emit: emit, aggregator: aggregator, merger: merger, downstream: downstream)
    }

    func tableSource<K, V>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, value: any Serde<V>, downstream: any Processor<K, Change<V>>
    ) -> any Processor<K, V?> {
        let state = KeyValueState(stores.store(store), key: key, value: value, cachesDecoded: true)
        if store.sourceTopic != nil { TableSourceOperator.restoresSourceRecords(into: state, wallClock: context.wallClock) }
        return TableSourceOperator(context: context, node: node, state: state, downstream: downstream)
    }

    func tableAggregate<K, V, A>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<K>, aggregate: any Serde<A>,
        adder: @escaping @Sendable (K, V, A?) throws -> A, subtractor: @escaping @Sendable (K, V, A) throws -> A?,
        downstream: any Processor<K, Change<A>>
    ) -> any Processor<K, Change<V>> {
        TableAggregateOperator(
            context: context, node: node, state: KeyValueState(stores.store(store), key: key, value: aggregate, cachesDecoded: true), adder: adder,
            subtractor: subtractor, downstream: downstream)
    }

    func suppress<K, V>(
        _ node: NodeInfo, store: StoreSpec, key: any Serde<Windowed<K>>, value: any Serde<V>,
        isClosed: @escaping @Sendable (Window, Int64) -> Bool, downstream: any Processor<Windowed<K>, Change<V>>
    ) -> any Processor<Windowed<K>, Change<V>> {
        SuppressOperator(
            context: context, node: node, buffer: SuppressionBuffer(stores.store(store), key: key, value: value), isClosed: isClosed,
            downstream: downstream)
    }
}
