/// A topology's logical plan: named, validated and cut into sub-topologies.
///
/// Made once per topology; the runtime and the TestDriver build each task's operators from it.
public struct TopologyPlan: Sendable {
    public struct Subtopology: Sendable {
        public let id: Int
        /// Topics read by this sub-topology's sources (user topics and repartition topics).
        public let sourceTopics: [String]
        /// Fixed topics written by this sub-topology's sinks.
        public let sinkTopics: [String]
        /// Every node, in the order `describe()` lists them.
        public let nodes: [NodeInfo]
        /// The state stores of the sub-topology's nodes.
        public let stores: [StoreSpec]
    }

    /// An internal topic the runtime creates: a repartition topic, with the sub-topology feeding it.
    public struct InternalTopic: Sendable, Hashable {
        public let name: String
        /// The partition count the user chose, if any; else that of the feeding sub-topology's input.
        public let partitions: Int?
        public let feedingSubtopology: Int
        /// A stream's repartition topic (not a foreign-key join's): its writers send watermarks.
        public let repartition: Bool
    }

    public let applicationID: String
    public let subtopologies: [Subtopology]
    public let internalTopics: [InternalTopic]
    /// Topics whose partitions are joined by number, so they must have equal partition counts.
    public let copartitionGroups: [CopartitionGroup]
    /// Global tables the application reads: a full copy of each per worker.
    public let globalTables: [GlobalTableSpec]
    /// The stores interactive queries can read, by name (every key-value, window and session store).
    public let queryableStores: [String: QueryableStore]
    /// Every node reaching a sink, in plan order.
    let nodes: [LogicalNode]
    /// Per sub-topology, its sources and the topics they read.
    let sources: [[(topics: [String], build: @Sendable (TaskBuild) -> any SourceProcessor)]]
    private let included: Set<ObjectIdentifier>

    /// Plans `definition`.
    /// - Throws: `TopologyError` listing every problem (duplicate names, missing serdes, ...).
    public init<T: TopologyDefinition>(_ definition: T) throws(TopologyError) {
        try self.init(applicationID: T.applicationID, pipelines: definition.body.pipelines)
    }

    /// Plans `definition` under another application id: a fresh group, internal topics and state
    /// for the same topology (benchmark turns, side-by-side runs).
    public init<T: TopologyDefinition>(_ definition: T, applicationID: String) throws(TopologyError) {
        try self.init(applicationID: applicationID, pipelines: definition.body.pipelines)
    }

    public init(applicationID: String, pipelines: [Pipeline]) throws(TopologyError) {
        var problems = Self.checkApplicationID(applicationID)
        if pipelines.isEmpty { problems.append("a topology needs at least one pipeline ending in a sink") }
        let nodes = Self.collect(pipelines)
        let included = Set(nodes.map(ObjectIdentifier.init))
        for case let source as any ResolvableSource in nodes { source.resolve(applicationID: applicationID) }
        problems += NodeNaming.assign(nodes, included: included)
        problems += nodes.flatMap(\.declarationProblems)
        problems += Self.checkTopicsReadOnce(nodes)
        let components = Subtopologies.cut(nodes, included: included)

        self.applicationID = applicationID
        self.nodes = nodes
        self.included = included
        var subtopologies: [Subtopology] = []
        var sources: [[(topics: [String], build: @Sendable (TaskBuild) -> any SourceProcessor)]] = []
        var internalTopics: [InternalTopic] = []
        for (id, members) in components.enumerated() {
            for n in members { n.subtopology = id }
        }
        for (id, members) in components.enumerated() {
            var taskSources: [(topics: [String], build: @Sendable (TaskBuild) -> any SourceProcessor)] = []
            for case let source as any ResolvableSource in members {
                taskSources.append((source.sourceTopics, source.sourceBuilder))
                if let internalName = source.internalTopicName {
                    internalTopics.append(
                        InternalTopic(
                            name: internalName, partitions: source.requestedPartitions,
                            feedingSubtopology: source.feedingSubtopology ?? id, repartition: source.isRepartition))
                }
            }
            sources.append(taskSources)
            subtopologies.append(
                Subtopology(
                    id: id, sourceTopics: members.flatMap(\.sourceTopics),
                    sinkTopics: members.compactMap { n -> String? in
                        if case .topic(let t) = n.sinkTarget { return t }
                        if case .internal(let suffix) = n.sinkTarget { return "\(applicationID)-\(suffix)" }
                        return nil
                    },
                    nodes: members.map(\.info),
                    stores: members.flatMap(\.stores)))
        }
        self.subtopologies = subtopologies
        self.sources = sources
        self.internalTopics = internalTopics
        copartitionGroups = Self.copartitionGroups(nodes)
        var globals: [GlobalTableSpec] = []
        for g in nodes.flatMap(\.globalTables) where !globals.contains(g) { globals.append(g) }
        globalTables = globals
        problems += Self.checkGlobalTables(globals)
        var queryable: [String: QueryableStore] = [:]
        for n in nodes {
            for q in n.queryableStores where queryable[q.spec.name] == nil {
                queryable[q.spec.name] = QueryableStore(name: q.spec.name, subtopology: n.subtopology, layout: q.layout, codec: q.codec)
            }
        }
        self.queryableStores = queryable
        if !problems.isEmpty { throw TopologyError(problems) }
    }

    /// Every topic the application reads that is not its own internal topic.
    public var inputTopics: [String] {
        let internalNames = Set(internalTopics.map(\.name))
        return subtopologies.flatMap(\.sourceTopics).filter { !internalNames.contains($0) }
    }

    /// Fixed output topics that are not internal.
    public var outputTopics: [String] {
        let internalNames = Set(internalTopics.map(\.name))
        return Array(Set(subtopologies.flatMap(\.sinkTopics).filter { !internalNames.contains($0) })).sorted()
    }

    /// Every state store, with the sub-topology that owns it.
    public var stores: [(subtopology: Int, spec: StoreSpec)] {
        subtopologies.flatMap { sub in sub.stores.map { (sub.id, $0) } }
    }

    /// The dead-letter topic: `<applicationID>-dlq`.
    public var deadLetterTopic: String { "\(applicationID)-dlq" }

    /// The sub-topology that reads `topic`.
    public func subtopology(reading topic: String) -> Int? {
        subtopologies.first { $0.sourceTopics.contains(topic) }?.id
    }

    /// Builds one task's operators: for each topic the sub-topology reads, the source to feed.
    public func buildTask(subtopology: Int, factory: any OperatorFactory) -> [String: any SourceProcessor] {
        let task = TaskBuild(factory: factory, included: included)
        var byTopic: [String: any SourceProcessor] = [:]
        for source in sources[subtopology] {
            let processor = source.build(task)
            for topic in source.topics { byTopic[topic] = processor }
        }
        return byTopic
    }

    private static func checkApplicationID(_ id: String) -> [String] {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        if id.isEmpty { return ["the application id is empty"] }
        if !id.allSatisfy(allowed.contains) {
            return ["the application id \"\(id)\" may hold only letters, digits, '.', '_' and '-' (it names topics)"]
        }
        return []
    }

    /// Every node that reaches a sink, sources first in declaration order, then depth-first.
    private static func collect(_ pipelines: [Pipeline]) -> [LogicalNode] {
        var reaching = Set<ObjectIdentifier>()
        var sources: [LogicalNode] = []
        func up(_ node: LogicalNode) {
            guard reaching.insert(ObjectIdentifier(node)).inserted else { return }
            // Upstream first: what feeds a repartition topic comes before what reads it.
            if let source = node as? any ResolvableSource, let feeder = source.feederNode { up(feeder) }
            for p in node.parents { up(p) }
            if node.parents.isEmpty { sources.append(node) }
        }
        for p in pipelines { for t in p.terminals { up(t) } }
        var ordered: [LogicalNode] = []
        var seen = Set<ObjectIdentifier>()
        func down(_ node: LogicalNode) {
            guard reaching.contains(ObjectIdentifier(node)), seen.insert(ObjectIdentifier(node)).inserted else { return }
            ordered.append(node)
            for c in node.children { down(c) }
        }
        for s in sources { down(s) }
        return ordered
    }

    private static func checkTopicsReadOnce(_ nodes: [LogicalNode]) -> [String] {
        var readers: [String: [String]] = [:]
        for n in nodes { for t in n.sourceTopics { readers[t, default: []].append(n.name) } }
        return readers.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { topic, names in
            "topic \(topic) is read by several sources (\(names.joined(separator: ", "))): declare the stream once "
                + "with `let` and use it in each pipeline"
        }
    }
}

extension TopologyDefinition {
    /// This topology's plan. - Throws: `TopologyError` listing every problem.
    public static func plan() throws(TopologyError) -> TopologyPlan { try TopologyPlan(Self()) }
}
