public import SluiceTopology

/// What one operator did in one task. Reconciles: `received = forwarded + filtered + deadLettered`
/// for one-to-one operators; a `flatMap` counts the records it expanded in `forwarded` and each
/// record it emitted in `emitted`.
///
/// Plain integers written by the task's thread only; the task publishes snapshots of them.
public final class OperatorCounters {
    public let node: NodeInfo
    // Raw slots rather than stored properties: a stored `var` of a class is checked for exclusive
    // access at run time on every `+= 1`, several times per record.
    private let slots = UnsafeMutablePointer<Int>.allocate(capacity: 5)

    public init(node: NodeInfo) {
        self.node = node
        slots.initialize(repeating: 0, count: 5)
    }

    deinit { slots.deallocate() }

    public var received: Int {
        get { slots[0] }
        set { slots[0] = newValue }
    }
    public var forwarded: Int {
        get { slots[1] }
        set { slots[1] = newValue }
    }
    public var filtered: Int {
        get { slots[2] }
        set { slots[2] = newValue }
    }
    public var deadLettered: Int {
        get { slots[3] }
        set { slots[3] = newValue }
    }
    public var emitted: Int {
        get { slots[4] }
        set { slots[4] = newValue }
    }

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
