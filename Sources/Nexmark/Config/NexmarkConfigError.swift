/// Why a ``NexmarkConfig`` cannot generate events: every problem found, not just the first.
public struct NexmarkConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line per problem, each naming the field, e.g. `"hotAuctionRatio must be at least 1"`.
    public let problems: [String]

    public var description: String {
        "invalid Nexmark configuration: " + problems.joined(separator: "; ")
    }
}
