import SluiceTopology

/// Builds one task's operators from the plan; every operator shares the task's context.
final class TaskOperatorFactory: OperatorFactory {
    let context: TaskContext

    init(context: TaskContext) { self.context = context }

    func source<K, V>(
        _ node: NodeInfo, key: any Serde<K>, value: any Serde<V>, timestamp: (@Sendable (K, V, Int64) -> Int64)?,
        downstream: any Processor<K, V>
    ) -> any SourceProcessor {
        SourceOperator(context: context, node: node, key: key, value: value, timestamp: timestamp, downstream: downstream)
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

    func flatMap<K, V, K2, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> [(K2, V2)], downstream: any Processor<K2, V2>
    ) -> any Processor<K, V> {
        FlatMapOperator(context: context, node: node, transform: transform, downstream: downstream)
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
        value: any Serde<V>
    ) -> any Processor<K, V> {
        let fixed: String
        switch target {
        case .topic(let t): fixed = t
        case .internal(let suffix): fixed = "\(context.applicationID)-\(suffix)"
        case .dynamic: fixed = ""
        }
        return SinkOperator(context: context, node: node, topic: fixed, chooser: topic, key: key, value: value)
    }
}
