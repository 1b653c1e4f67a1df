/// A node of the logical graph: what the DSL builds, before any task exists.
///
/// Nodes are created by DSL calls and frozen once a `TopologyPlan` is made from them; the plan
/// then gives each its stable name and sub-topology.
/// - Important: not thread-safe while a topology is being declared; immutable (and safe to share)
///   once planned.
public class LogicalNode: @unchecked Sendable {
    // @unchecked: mutated only while a topology is declared and planned, on one thread; read-only after.
    /// The kind of operation, e.g. `filter`.
    public let operation: String
    let explicitName: String?
    private(set) var parents: [LogicalNode]
    private(set) var children: [LogicalNode] = []

    /// Set by the plan.
    public internal(set) var name = ""
    public internal(set) var subtopology = -1

    init(operation: String, explicitName: String?, parents: [LogicalNode]) {
        self.operation = operation
        self.explicitName = explicitName
        self.parents = parents
        for p in parents { p.children.append(self) }
    }

    var info: NodeInfo { NodeInfo(name: name, operation: operation, subtopology: subtopology) }

    /// Topics this node reads (sources only).
    var sourceTopics: [String] { [] }
    /// Where this node writes (sinks only).
    var sinkTarget: SinkTarget? { nil }
    /// A node that ends a pipeline (a sink or `foreach`).
    var isTerminal: Bool { false }
    /// Problems with this node's declaration, e.g. a serde it needs but was not given.
    var declarationProblems: [String] { [] }
    /// State stores this node reads and writes.
    var stores: [StoreSpec] { [] }
    /// Whether the topics feeding this node's parents must be co-partitioned: a join reads the
    /// records of one key from both sides in one task.
    var joinsParents: Bool { false }
    /// Global tables this node reads.
    var globalTables: [GlobalTableSpec] { [] }
    /// The stores of this node that interactive queries may read, with their layouts and codecs.
    var queryableStores: [(spec: StoreSpec, layout: QueryableStore.Layout, codec: StoreQueryCodec)] { [] }
}

/// A node whose output is a stream of `(Key, Value)` records, with the serdes known for them.
class StreamNode<Key, Value>: LogicalNode, @unchecked Sendable {
    var keySerde: (any Serde<Key>)?
    var valueSerde: (any Serde<Value>)?
    /// Whether an operator since the last source or repartition may have changed the key, so the
    /// records may no longer sit on the partition of their key (a grouping must repartition).
    var keyChanged = false
    /// Problems found when the node was declared (e.g. a grouping without a key serde).
    var problems: [String] = []
    /// The operators fed by this node's output, in declaration order.
    private(set) var edges: [(child: LogicalNode, build: (TaskBuild) -> any Processor<Key, Value>)] = []

    init(
        operation: String, explicitName: String?, parents: [LogicalNode], keySerde: (any Serde<Key>)?,
        valueSerde: (any Serde<Value>)?
    ) {
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        super.init(operation: operation, explicitName: explicitName, parents: parents)
    }

    /// Feeds `child` from this node's output; `build` makes the child's operator for one task.
    func connect(_ child: LogicalNode, _ build: @escaping (TaskBuild) -> any Processor<Key, Value>) {
        edges.append((child, build))
    }

    override var declarationProblems: [String] { problems.map { "\(name): \($0)" } }

    /// The processor that receives this node's output in a task: the one child, or a fan-out.
    func downstream(_ task: TaskBuild) -> any Processor<Key, Value> {
        let wanted = edges.filter { task.includes($0.child) }
        if wanted.count == 1 { return wanted[0].build(task) }
        return task.factory.fanOut(wanted.map { $0.build(task) })
    }
}

/// Reads one or more topics, or an internal topic of the application (after a repartition).
final class SourceNode<Key, Value>: StreamNode<Key, Value>, @unchecked Sendable {
    let topics: [String]
    /// Set for the source of a repartition topic: its suffix, e.g. `by-user-repartition`.
    let internalTopic: String?
    /// The internal topic's partition count, when the user chose one.
    let partitions: Int?
    let timestampExtractor: (@Sendable (Key, Value, Int64) -> Int64)?
    /// The sink writing the internal topic this source reads (repartitions only).
    var feeder: LogicalNode?
    /// Reads a repartition topic, whose writers send their stream time along (watermarks).
    let repartition: Bool
    /// Set by the plan: the topics this source reads, with internal names resolved.
    private(set) var resolvedTopics: [String] = []

    init(
        topics: [String], internalTopic: String? = nil, partitions: Int? = nil, explicitName: String?,
        keySerde: (any Serde<Key>)?, valueSerde: (any Serde<Value>)?,
        timestamp: (@Sendable (Key, Value, Int64) -> Int64)?, repartition: Bool = false
    ) {
        self.topics = topics
        self.internalTopic = internalTopic
        self.repartition = repartition
        self.partitions = partitions
        self.timestampExtractor = timestamp
        super.init(operation: "source", explicitName: explicitName, parents: [], keySerde: keySerde, valueSerde: valueSerde)
    }

    override var sourceTopics: [String] { resolvedTopics }

    func resolve(applicationID: String) {
        resolvedTopics = internalTopic.map { ["\(applicationID)-\($0)"] } ?? topics
    }

    override var declarationProblems: [String] {
        var problems: [String] = []
        if keySerde == nil { problems.append("source \(name) needs a key serde for \(Key.self)") }
        if valueSerde == nil { problems.append("source \(name) needs a value serde for \(Value.self)") }
        if internalTopic == nil && (topics.isEmpty || topics.contains("")) {
            problems.append("source \(name) needs a topic name")
        }
        return problems
    }

    func buildSource(_ task: TaskBuild) -> any SourceProcessor {
        task.factory.source(
            info, key: keySerde!, value: valueSerde!, timestamp: timestampExtractor, repartition: repartition,
            downstream: downstream(task))
    }
}

/// Joins several streams of one type into one; built once per task however many parents feed it.
final class MergeNode<Key, Value>: StreamNode<Key, Value>, @unchecked Sendable {
    func input(_ task: TaskBuild) -> any Processor<Key, Value> {
        task.memoized(self) { task.factory.passThrough(info, downstream: downstream(task)) }
    }
}

/// Writes to a topic; ends a pipeline.
final class SinkNode<Key, Value>: LogicalNode, @unchecked Sendable {
    let target: SinkTarget
    let keySerde: (any Serde<Key>)?
    let valueSerde: (any Serde<Value>)?
    let topicChooser: (@Sendable (Key, Value) throws -> String)?
    /// Writes a repartition topic: sends its task's stream time along (watermarks).
    let repartition: Bool

    init(
        target: SinkTarget, explicitName: String?, parent: LogicalNode, keySerde: (any Serde<Key>)?,
        valueSerde: (any Serde<Value>)?, topicChooser: (@Sendable (Key, Value) throws -> String)? = nil, repartition: Bool = false
    ) {
        self.target = target
        self.repartition = repartition
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.topicChooser = topicChooser
        super.init(operation: "to", explicitName: explicitName, parents: [parent])
    }

    override var sinkTarget: SinkTarget? { target }
    override var isTerminal: Bool { true }
    override var declarationProblems: [String] {
        var missing: [String] = []
        if keySerde == nil { missing.append("a key serde for \(Key.self)") }
        if valueSerde == nil { missing.append("a value serde for \(Value.self)") }
        return missing.isEmpty ? [] : ["sink \(name) (to \(target)) needs \(missing.joined(separator: " and "))"]
    }

    func build(_ task: TaskBuild) -> any Processor<Key, Value> {
        task.factory.sink(info, target: target, topic: topicChooser, key: keySerde!, value: valueSerde!, repartition: repartition)
    }
}

/// A node that keeps state in stores (aggregations, tables, suppression).
final class StatefulNode<Key, Value>: StreamNode<Key, Value>, @unchecked Sendable {
    let storeSpecs: [StoreSpec]

    init(
        operation: String, explicitName: String?, parents: [LogicalNode], keySerde: (any Serde<Key>)?,
        valueSerde: (any Serde<Value>)?, stores: [StoreSpec]
    ) {
        self.storeSpecs = stores
        super.init(operation: operation, explicitName: explicitName, parents: parents, keySerde: keySerde, valueSerde: valueSerde)
    }

    override var stores: [StoreSpec] { storeSpecs }

    /// Set by the DSL call that made the node, when its store can be queried (its first store).
    var query: (layout: QueryableStore.Layout, codec: StoreQueryCodec)?

    override var queryableStores: [(spec: StoreSpec, layout: QueryableStore.Layout, codec: StoreQueryCodec)] {
        guard let query, let spec = storeSpecs.first else { return [] }
        return [(spec, query.layout, query.codec)]
    }
}

/// Ends a pipeline with a side effect per record (`foreach`).
final class ForeachNode<Key, Value>: StreamNode<Key, Value>, @unchecked Sendable {
    override var isTerminal: Bool { true }
}
