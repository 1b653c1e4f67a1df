/// How far apart in event time two records of a stream-stream join may be, as Kafka Streams'
/// `JoinWindows`: a left record at `t` joins right records in `[t - before, t + after]`, both ends
/// inclusive (so a right record at `t'` joins left records in `[t' - after, t' + before]`).
///
/// A record's window closes when stream time passes its far end plus `grace`. A record that arrives
/// after that is late: it goes to the dead-letter topic with reason `late`, and is counted. A
/// left or outer join emits a record that found no partner only then, once: never eagerly.
public struct JoinWindows: Sendable, Hashable {
    /// Milliseconds a right record may precede a left one.
    public let before: Int64
    /// Milliseconds a right record may follow a left one.
    public let after: Int64
    /// Milliseconds a window stays open for out-of-order records after it ends.
    public let grace: Int64

    public init(before: Int64, after: Int64, grace: Int64) {
        self.before = before
        self.after = after
        self.grace = grace
    }

    /// Records at most `difference` apart join, in either order (`JoinWindows.ofTimeDifferenceAndGrace`).
    public static func timeDifference(_ difference: Duration, grace: Duration = .zero) -> JoinWindows {
        JoinWindows(before: difference.millis, after: difference.millis, grace: grace.millis)
    }

    /// The same windows, with right records at most `duration` before a left one.
    public func before(_ duration: Duration) -> JoinWindows { JoinWindows(before: duration.millis, after: after, grace: grace) }

    /// The same windows, with right records at most `duration` after a left one.
    public func after(_ duration: Duration) -> JoinWindows { JoinWindows(before: before, after: duration.millis, grace: grace) }

    /// How long each side's records are kept: until no record of the other side can still join them.
    public var retention: Int64 { before + after + grace }

    var problems: [String] {
        var p: [String] = []
        if before + after < 0 { p.append("a join window must not be empty (before + after must not be negative)") }
        if grace < 0 { p.append("grace must not be negative") }
        return p
    }
}

/// Which records of a join without a partner are emitted (with `nil` for the missing side).
public enum JoinKind: Sendable, Hashable {
    /// Only records with a partner.
    case inner
    /// Every left record, with `nil` when it has no partner.
    case left
    /// Every record of either side, with `nil` for the missing side.
    case outer

    var operation: String {
        switch self {
        case .inner: "join"
        case .left: "leftJoin"
        case .outer: "outerJoin"
        }
    }
}
