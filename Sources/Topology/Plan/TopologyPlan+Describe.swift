extension TopologyPlan {
    /// The plan in the layout of Kafka Streams' `TopologyDescription`:
    ///
    ///     Topologies:
    ///        Sub-topology: 0
    ///         Source: clicks-source (topics: [clicks])
    ///           --> clicks-filter-1
    ///         Processor: clicks-filter-1 (stores: [])
    ///           --> clicks-to-clean
    ///           <-- clicks-source
    ///         Sink: clicks-to-clean (topic: clean)
    ///           <-- clicks-filter-1
    public func describe() -> String {
        var out = "Topologies:\n"
        for sub in subtopologies {
            out += "   Sub-topology: \(sub.id)\n"
            for node in nodes where node.subtopology == sub.id {
                let kids = node.children.filter { $0.subtopology == sub.id && !$0.name.isEmpty }.map(\.name)
                let parents = node.parents.map(\.name)
                if node.parents.isEmpty {
                    out += "    Source: \(node.name) (topics: [\(node.sourceTopics.joined(separator: ", "))])\n"
                } else if let target = node.sinkTarget {
                    out += "    Sink: \(node.name) (topic: \(resolved(target)))\n"
                } else {
                    out += "    Processor: \(node.name) (stores: [\(node.stores.map(\.name).joined(separator: ", "))])\n"
                }
                if !kids.isEmpty { out += "      --> \(kids.joined(separator: ", "))\n" }
                if !parents.isEmpty { out += "      <-- \(parents.joined(separator: ", "))\n" }
            }
            out += "\n"
        }
        return out
    }

    /// The plan as a Mermaid flowchart: a box per sub-topology, topics as stadiums between them.
    public func mermaid() -> String {
        var out = "flowchart LR\n"
        var topics = Set<String>()
        for sub in subtopologies {
            out += "  subgraph sub\(sub.id)[\"Sub-topology \(sub.id)\"]\n"
            for node in nodes where node.subtopology == sub.id {
                out += "    \(id(node.name))[\"\(node.name)<br/><small>\(node.operation)</small>\"]\n"
            }
            out += "  end\n"
        }
        for node in nodes {
            for topic in node.sourceTopics {
                topics.insert(topic)
                out += "  \(id("topic:" + topic)) --> \(id(node.name))\n"
            }
            if let target = node.sinkTarget {
                let topic = resolved(target)
                topics.insert(topic)
                out += "  \(id(node.name)) --> \(id("topic:" + topic))\n"
            }
            for child in node.children where !child.name.isEmpty && child.subtopology == node.subtopology {
                out += "  \(id(node.name)) --> \(id(child.name))\n"
            }
        }
        for topic in topics.sorted() { out += "  \(id("topic:" + topic))([\"\(topic)\"])\n" }
        return out
    }

    private func resolved(_ target: SinkTarget) -> String {
        if case .internal(let suffix) = target { return "\(applicationID)-\(suffix)" }
        return target.description
    }

    /// A Mermaid-safe identifier for a name.
    private func id(_ name: String) -> String {
        "n_" + String(name.unicodeScalars.map { ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_" })
            + "_" + String(UInt32(truncatingIfNeeded: name.hashValueStable), radix: 36)
    }
}

extension String {
    /// FNV-1a: a hash that is the same in every process (Swift's `hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }
}
