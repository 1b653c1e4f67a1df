/// Everything wrong with a topology's declaration, found at once (not one error per build).
public struct TopologyError: Error, Sendable, CustomStringConvertible {
    /// One finding per line, each naming the node or topic it concerns.
    public let problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String {
        "the topology is not valid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
