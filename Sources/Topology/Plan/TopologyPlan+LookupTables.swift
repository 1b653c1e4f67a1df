extension TopologyPlan {
    /// Topics read only to be looked up: those feeding the table of a stream-table join.
    ///
    /// A stream-table join sees the table as it is when a stream record is processed. A task that
    /// started on both inputs at once would join its first stream records against a table it has
    /// not read yet, and drop (or leave unenriched) records whose rows are already in the topic;
    /// so a stream thread reads these topics' partitions to the end they had when the task started
    /// before it lets the task's other inputs through (`StreamThread+TableCatchUp`).
    public var lookupTableTopics: Set<String> {
        var topics = Set<String>()
        for case let join as any LookupJoin in nodes {
            guard let side = join.lookupParent, join.parents.indices.contains(side) else { continue }
            var seen = Set<ObjectIdentifier>()
            func up(_ n: LogicalNode) {
                guard seen.insert(ObjectIdentifier(n)).inserted else { return }
                if n.parents.isEmpty { topics.formUnion(n.sourceTopics) }
                for p in n.parents { up(p) }
            }
            up(join.parents[side])
        }
        return topics
    }
}

/// A join node, whatever its record types, for `lookupTableTopics`.
protocol LookupJoin: LogicalNode {
    var lookupParent: Int? { get }
}

extension JoinNode: LookupJoin {}
