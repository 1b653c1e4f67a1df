public import SluiceTopology

/// What one operator did in one task. Reconciles: `received = forwarded + filtered + deadLettered`
/// for one-to-one operators; a `flatMap` counts the records it expanded in `forwarded` and each
/// record it emitted in `emitted`.
///
/// Plain integers written by the task's thread only; the task publishes snapshots of them.
public final class OperatorCounters {
    public let node: NodeInfo
    public var received = 0
    public var forwarded = 0
    public var filtered = 0
    public var deadLettered = 0
    public var emitted = 0

    public init(node: NodeInfo) { self.node = node }

    public var snapshot: OperatorCounts {
        OperatorCounts(
            node: node, received: received, forwarded: forwarded, filtered: filtered, deadLettered: deadLettered,
            emitted: emitted)
    }
}

/// A copy of an operator's counters, safe to hand to another thread.
public struct OperatorCounts: Sendable, Hashable {
    public let node: NodeInfo
    public var received: Int
    public var forwarded: Int
    public var filtered: Int
    public var deadLettered: Int
    public var emitted: Int

    /// Whether every record received is accounted for.
    public var reconciles: Bool { received == forwarded + filtered + deadLettered }

    public static func + (a: OperatorCounts, b: OperatorCounts) -> OperatorCounts {
        OperatorCounts(
            node: a.node, received: a.received + b.received, forwarded: a.forwarded + b.forwarded,
            filtered: a.filtered + b.filtered, deadLettered: a.deadLettered + b.deadLettered, emitted: a.emitted + b.emitted)
    }
}
