/// A plan as plain data: every operator with its edges, and every topic with its role. What a
/// dashboard draws and what `/api/topology` serves; `Codable`, so it travels as JSON.
public struct TopologyGraph: Sendable, Hashable, Codable {
    /// One operator of the plan.
    public struct Node: Sendable, Hashable, Codable {
        /// The node's stable name.
        public var name: String
        /// The operation: `source`, `filter`, `mapValues`, `to`, ...
        public var operation: String
        public var subtopology: Int
        /// Names of the nodes feeding this one, in the same sub-topology.
        public var parents: [String]
        /// Names of the nodes this one feeds, in the same sub-topology.
        public var children: [String]
        /// Topics this node reads (sources only).
        public var sourceTopics: [String]
        /// The topic this node writes (sinks only); `nil` when it is chosen per record.
        public var sinkTopic: String?
        /// Whether this is a sink whose topic is chosen per record.
        public var dynamicSink: Bool
        /// State stores the node uses. Empty until the runtime has stores.
        public var stores: [String]
    }

    /// What a topic is to the application.
    public enum TopicRole: String, Sendable, Hashable, Codable {
        /// Read by the application and written by someone else.
        case input
        /// Written by the application and read by someone else.
        case output
        /// Written and read by the application (a repartition or changelog topic).
        case `internal`
        /// Where records that failed go (`<applicationID>-dlq`).
        case deadLetter
    }

    public struct Topic: Sendable, Hashable, Codable {
        public var name: String
        public var role: TopicRole
    }

    public struct Subtopology: Sendable, Hashable, Codable {
        public var id: Int
        /// Node names, in `describe()` order.
        public var nodes: [String]
    }

    public var applicationID: String
    public var subtopologies: [Subtopology]
    public var nodes: [Node]
    public var topics: [Topic]
}

extension TopologyPlan {
    /// The plan as a graph of operators and topics, for drawing.
    public var graph: TopologyGraph {
        var graphNodes: [TopologyGraph.Node] = []
        var written = Set<String>()
        var read = Set<String>()
        for node in nodes {
            var sinkTopic: String?
            var dynamic = false
            switch node.sinkTarget {
            case .topic(let t)?: sinkTopic = t
            case .internal(let suffix)?: sinkTopic = "\(applicationID)-\(suffix)"
            case .dynamic?: dynamic = true
            case nil: break
            }
            if let sinkTopic { written.insert(sinkTopic) }
            read.formUnion(node.sourceTopics)
            graphNodes.append(
                TopologyGraph.Node(
                    name: node.name, operation: node.operation, subtopology: node.subtopology,
                    parents: node.parents.filter { $0.subtopology == node.subtopology }.map(\.name),
                    children: node.children.filter { $0.subtopology == node.subtopology && !$0.name.isEmpty }.map(\.name),
                    sourceTopics: node.sourceTopics, sinkTopic: sinkTopic, dynamicSink: dynamic, stores: []))
        }
        let internalNames = Set(internalTopics.map(\.name))
        var topics: [TopologyGraph.Topic] = []
        for name in read.union(written).sorted() {
            let role: TopologyGraph.TopicRole =
                internalNames.contains(name) || (read.contains(name) && written.contains(name))
                ? .internal : read.contains(name) ? .input : .output
            topics.append(TopologyGraph.Topic(name: name, role: role))
        }
        topics.append(TopologyGraph.Topic(name: deadLetterTopic, role: .deadLetter))
        return TopologyGraph(
            applicationID: applicationID,
            subtopologies: subtopologies.map { TopologyGraph.Subtopology(id: $0.id, nodes: $0.nodes.map(\.name)) },
            nodes: graphNodes, topics: topics)
    }
}
