/// What an operator knows of its place in the plan: its stable name and its kind.
public struct NodeInfo: Sendable, Hashable {
    /// The node's stable name (user-given, or derived from the structure).
    public let name: String
    /// The operator: `source`, `filter`, `mapValues`, `to`, ...
    public let operation: String
    /// The sub-topology the node belongs to.
    public let subtopology: Int
}

/// Where a sink writes.
public enum SinkTarget: Sendable, Hashable, CustomStringConvertible {
    /// A fixed topic.
    case topic(String)
    /// A topic chosen per record by a closure.
    case dynamic
    /// An internal topic of the application, named `<applicationID>-<suffix>`.
    case `internal`(String)

    public var description: String {
        switch self {
        case .topic(let t): t
        case .dynamic: "<chosen per record>"
        case .internal(let suffix): "<application>-\(suffix)"
        }
    }
}
