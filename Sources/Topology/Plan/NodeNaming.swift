/// Gives every node a stable name: the user's, or one derived from the structure.
///
/// A derived name is `<root>-<operation>-<depth>`: the topic (or repartition) the node's first
/// chain starts from, its operation, and its distance from there (`clicks-filter-1`); sinks are
/// `<root>-to-<topic>`. Never a global counter (Kafka Streams' `KSTREAM-FILTER-0000000003`), so adding
/// an operator to one pipeline renames nothing in another (STYLE.md "Pitfalls" §11).
enum NodeNaming {
    /// Names `nodes` in place. - Returns: problems (names given twice).
    static func assign(_ nodes: [LogicalNode], included: Set<ObjectIdentifier>) -> [String] {
        var problems: [String] = []
        var taken: [String: Int] = [:]
        for n in nodes { if let name = n.explicitName { taken[name, default: 0] += 1 } }
        for (name, count) in taken.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("the name \"\(name)\" is given to \(count) nodes")
        }
        for n in nodes {
            if let name = n.explicitName {
                n.name = name
                continue
            }
            let base = derived(n)
            var name = base
            var k = 2
            while taken[name] != nil {
                name = "\(base)-\(k)"
                k += 1
            }
            taken[name] = 1
            n.name = name
        }
        return problems
    }

    private static func derived(_ node: LogicalNode) -> String {
        var depth = 0
        var root = node
        while let first = root.parents.first {
            root = first
            depth += 1
        }
        let prefix: String
        if let source = root as? any ResolvableSource, let internalName = source.internalTopicName {
            prefix = root.explicitName.map { $0.replacingSuffix("-source") } ?? internalName
        } else {
            prefix = root.sourceTopics.isEmpty ? "stream" : root.sourceTopics.joined(separator: "+")
        }
        if node === root { return "\(prefix)-source" }
        if let target = node.sinkTarget {
            switch target {
            case .topic(let t): return "\(prefix)-to-\(t)"
            case .dynamic: return "\(prefix)-to-dynamic"
            case .internal(let suffix): return "\(prefix)-to-\(suffix)"
            }
        }
        return "\(prefix)-\(node.operation)-\(depth)"
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
