/// Topics joined partition by partition: a join reads one key's records of every topic of the
/// group in one task, which works only when each topic holds that key in the same partition.
public struct CopartitionGroup: Sendable, Hashable {
    /// The topics, sorted (internal topics with their full names).
    public let topics: [String]
    /// The joins that need it, for messages.
    public let joins: [String]
}

/// How many partitions each topic of an application has, and so each sub-topology's tasks.
public struct PartitionCounts: Sendable, Hashable {
    /// Every topic the application reads or creates, internal topics included.
    public var topics: [String: Int]
    /// Per sub-topology, its widest input: its tasks are partitions `0..<width`.
    public var subtopologyWidths: [Int]

    public init(topics: [String: Int], subtopologyWidths: [Int]) {
        self.topics = topics
        self.subtopologyWidths = subtopologyWidths
    }
}

extension TopologyPlan {
    /// Partition counts of the internal topics, given those of the topics that exist.
    ///
    /// Repartition topics get the partition count the user chose, else that of the topics they are
    /// joined with (Kafka Streams' `CopartitionedTopicsEnforcer`), else that of the sub-topology
    /// feeding them.
    /// - Throws: `TopologyError` naming each pair of joined topics whose partition counts differ.
    public func partitionCounts(existing: [String: Int]) throws(TopologyError) -> PartitionCounts {
        var counts = existing
        let internalNames = Set(internalTopics.map(\.name))
        let chosen = Set(internalTopics.filter { $0.partitions != nil }.map(\.name))
        for t in internalTopics { if let n = t.partitions { counts[t.name] = n } }
        var problems: [String] = []
        // Joined topics must agree; internal ones follow the external ones they are joined with.
        for group in copartitionGroups {
            let given = group.topics.filter { counts[$0] != nil && (!internalNames.contains($0) || chosen.contains($0)) }
            guard let first = given.first else { continue }
            for t in given.dropFirst() where counts[t] != counts[first] {
                problems.append(mismatch(first, counts[first]!, t, counts[t]!, group))
            }
            for t in group.topics where internalNames.contains(t) && !chosen.contains(t) { counts[t] = counts[first] }
        }
        // What is left follows its feeder, until nothing changes (foreign-key joins feed in a cycle).
        var widths = [Int](repeating: 0, count: subtopologies.count)
        for _ in 0...subtopologies.count {
            for sub in subtopologies { widths[sub.id] = sub.sourceTopics.compactMap { counts[$0] }.max() ?? 0 }
            var changed = false
            for t in internalTopics where counts[t.name] == nil && widths[t.feedingSubtopology] > 0 {
                counts[t.name] = widths[t.feedingSubtopology]
                changed = true
                for group in copartitionGroups where group.topics.contains(t.name) {
                    for other in group.topics where counts[other] == nil { counts[other] = counts[t.name] }
                }
            }
            if !changed { break }
        }
        for t in internalTopics where counts[t.name] == nil { counts[t.name] = 1 }
        for sub in subtopologies { widths[sub.id] = max(sub.sourceTopics.compactMap { counts[$0] }.max() ?? 1, 1) }
        // A user-chosen count may still disagree with the group it joins.
        for group in copartitionGroups {
            let present = group.topics.filter { counts[$0] != nil }
            if let first = present.first {
                for t in present.dropFirst() where counts[t] != counts[first] {
                    let message = mismatch(first, counts[first]!, t, counts[t]!, group)
                    if !problems.contains(message) { problems.append(message) }
                }
            }
        }
        if !problems.isEmpty { throw TopologyError(problems) }
        return PartitionCounts(topics: counts, subtopologyWidths: widths)
    }

    private func mismatch(_ a: String, _ na: Int, _ b: String, _ nb: Int, _ group: CopartitionGroup) -> String {
        "topics \(a) (\(na) partitions) and \(b) (\(nb) partitions) are joined by \(group.joins.joined(separator: ", ")), "
            + "so they must have the same number of partitions (co-partitioning): repartition one of them to the other's count"
    }

    /// The groups of topics each join reads, merged where they overlap.
    static func copartitionGroups(_ nodes: [LogicalNode]) -> [CopartitionGroup] {
        var groups: [(topics: Set<String>, joins: [String])] = []
        for node in nodes where node.joinsParents {
            var topics = Set<String>()
            var seen = Set<ObjectIdentifier>()
            func up(_ n: LogicalNode) {
                guard seen.insert(ObjectIdentifier(n)).inserted else { return }
                if n.parents.isEmpty { topics.formUnion(n.sourceTopics) }
                for p in n.parents { up(p) }
            }
            for p in node.parents { up(p) }
            guard topics.count > 1 else { continue }
            var merged = (topics: topics, joins: [node.name])
            groups.removeAll { g in
                guard !g.topics.isDisjoint(with: merged.topics) else { return false }
                merged.topics.formUnion(g.topics)
                merged.joins = g.joins + merged.joins
                return true
            }
            groups.append(merged)
        }
        return groups.map { CopartitionGroup(topics: $0.topics.sorted(), joins: $0.joins) }
    }

    static func checkGlobalTables(_ globals: [GlobalTableSpec]) -> [String] {
        var problems: [String] = []
        let byStore = Dictionary(grouping: globals, by: \.store)
        for (store, specs) in byStore.sorted(by: { $0.key < $1.key }) where specs.count > 1 {
            problems.append("the global table store \(store) is declared for several topics: \(specs.map(\.topic).sorted().joined(separator: ", "))")
        }
        return problems
    }
}
