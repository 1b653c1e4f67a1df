/// Turns the logical plan into operators: one method per kind of node, fully typed.
///
/// The logical plan calls these while it builds a task; `SluiceOperators` implements them. This
/// keeps the plan free of any physical detail, and keeps record types intact across the seam: no
/// operator is ever reached through a cast.
public protocol OperatorFactory: StatefulOperatorFactory, JoinOperatorFactory {
    /// - Parameter repartition: the source reads a repartition topic, whose writers send watermarks.
    func source<K, V>(
        _ node: NodeInfo, key: any Serde<K>, value: any Serde<V>,
        timestamp: (@Sendable (K, V, Int64) -> Int64)?, repartition: Bool, downstream: any Processor<K, V>
    ) -> any SourceProcessor

    func filter<K, V>(
        _ node: NodeInfo, _ predicate: @escaping @Sendable (K, V) throws -> Bool, downstream: any Processor<K, V>
    ) -> any Processor<K, V>

    func map<K, V, K2, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> (K2, V2), downstream: any Processor<K2, V2>
    ) -> any Processor<K, V>

    func mapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> V2, downstream: any Processor<K, V2>
    ) -> any Processor<K, V>

    /// Forwards the transformed value unless it is `nil` (a filter and a map in one step).
    func compactMapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> V2?, downstream: any Processor<K, V2>
    ) -> any Processor<K, V>

    /// A table's updates as their new values, deletions left out (`toStream`).
    func newValues<K, V>(_ node: NodeInfo, downstream: any Processor<K, V>) -> any Processor<K, Change<V>>

    func flatMap<K, V, K2, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (K, V) throws -> [(K2, V2)],
        downstream: any Processor<K2, V2>
    ) -> any Processor<K, V>

    func flatMapValues<K, V, V2>(
        _ node: NodeInfo, _ transform: @escaping @Sendable (V) throws -> [V2], downstream: any Processor<K, V2>
    ) -> any Processor<K, V>

    func peek<K, V>(
        _ node: NodeInfo, _ action: @escaping @Sendable (K, V) throws -> Void, downstream: (any Processor<K, V>)?
    ) -> any Processor<K, V>

    /// Forwards each record unchanged (merges, and other nodes that only pass records on).
    func passThrough<K, V>(_ node: NodeInfo, downstream: any Processor<K, V>) -> any Processor<K, V>

    /// Sends each record to every downstream, in declaration order.
    func fanOut<K, V>(_ downstreams: [any Processor<K, V>]) -> any Processor<K, V>

    /// Sends each record to the first branch whose predicate holds, else to `otherwise` (or drops it).
    func branch<K, V>(
        _ node: NodeInfo, predicates: [@Sendable (K, V) throws -> Bool], branches: [any Processor<K, V>],
        otherwise: (any Processor<K, V>)?
    ) -> any Processor<K, V>

    /// - Parameter repartition: the sink writes a repartition topic, and sends watermarks to it.
    func sink<K, V>(
        _ node: NodeInfo, target: SinkTarget, topic: (@Sendable (K, V) throws -> String)?, key: any Serde<K>,
        value: any Serde<V>, repartition: Bool
    ) -> any Processor<K, V>
}
