/// Cuts the plan into sub-topologies: the groups of nodes connected by records passed in memory.
/// Topics (repartitions) are the cuts, so each group is consumed and processed on its own.
enum Subtopologies {
    /// The connected groups, ordered by their first node in plan order (sources first).
    static func cut(_ nodes: [LogicalNode], included: Set<ObjectIdentifier>) -> [[LogicalNode]] {
        var group: [ObjectIdentifier: Int] = [:]
        var groups: [[LogicalNode]] = []
        for start in nodes where group[ObjectIdentifier(start)] == nil {
            let id = groups.count
            var members: [LogicalNode] = []
            var stack = [start]
            group[ObjectIdentifier(start)] = id
            while let n = stack.popLast() {
                members.append(n)
                for m in n.parents + n.children where included.contains(ObjectIdentifier(m)) {
                    if group[ObjectIdentifier(m)] == nil {
                        group[ObjectIdentifier(m)] = id
                        stack.append(m)
                    }
                }
            }
            groups.append(members)
        }
        // Keep plan order inside each group.
        let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { (ObjectIdentifier($1), $0) })
        return groups.map { $0.sorted { position[ObjectIdentifier($0)]! < position[ObjectIdentifier($1)]! } }
    }
}
