import SluiceTopology

/// A table-table join on the key (Kafka Streams' `KTableKTableJoin`): an update of one side is
/// joined with the other side's current value; the result it replaces is the old value joined with
/// the same, so every update carries both. No result before and none after: nothing is emitted;
/// a result that disappears is emitted as a deletion.
final class TableTableJoinOperator<K, VL, VR, VOut> {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let kind: JoinKind
    private let left: KeyValueState<K, VL>
    private let right: KeyValueState<K, VR>
    private let joiner: @Sendable (VL?, VR?) throws -> VOut
    private let downstream: any Processor<K, Change<VOut>>

    init(
        context: TaskContext, node: NodeInfo, kind: JoinKind, left: KeyValueState<K, VL>, right: KeyValueState<K, VR>,
        joiner: @escaping @Sendable (VL?, VR?) throws -> VOut, downstream: any Processor<K, Change<VOut>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.kind = kind
        self.left = left
        self.right = right
        self.joiner = joiner
        self.downstream = downstream
    }

    /// The join's result for a pair of values, or `nil` when this kind of join has none.
    private func result(_ l: VL?, _ r: VR?) throws -> VOut? {
        switch kind {
        case .inner: l != nil && r != nil ? try joiner(l, r) : nil
        case .left: l != nil ? try joiner(l, r) : nil
        case .outer: l != nil || r != nil ? try joiner(l, r) : nil
        }
    }

    func processLeft(_ key: K, _ change: Change<VL>, _ attributes: RecordAttributes) {
        counters.received += 1
        let update: Change<VOut>
        var timestamp = attributes.timestamp
        do {
            let other = try right.get(try right.storeKey(key))
            if let other { timestamp = max(timestamp, other.timestamp) }
            update = Change(new: try result(change.new, other?.value), old: try result(change.old, other?.value))
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        forward(key, update, timestamp, attributes)
    }

    func processRight(_ key: K, _ change: Change<VR>, _ attributes: RecordAttributes) {
        counters.received += 1
        let update: Change<VOut>
        var timestamp = attributes.timestamp
        do {
            let other = try left.get(try left.storeKey(key))
            if let other { timestamp = max(timestamp, other.timestamp) }
            update = Change(new: try result(other?.value, change.new), old: try result(other?.value, change.old))
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        forward(key, update, timestamp, attributes)
    }

    private func forward(_ key: K, _ update: Change<VOut>, _ timestamp: Int64, _ attributes: RecordAttributes) {
        if update.new == nil && update.old == nil {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        downstream.process(key, update, RecordAttributes(timestamp: timestamp, headers: attributes.headers))
    }
}

final class TableJoinLeft<K, VL, VR, VOut>: Processor {
    let join: TableTableJoinOperator<K, VL, VR, VOut>
    init(_ join: TableTableJoinOperator<K, VL, VR, VOut>) { self.join = join }
    func process(_ key: K, _ value: Change<VL>, _ attributes: RecordAttributes) { join.processLeft(key, value, attributes) }
}

final class TableJoinRight<K, VL, VR, VOut>: Processor {
    let join: TableTableJoinOperator<K, VL, VR, VOut>
    init(_ join: TableTableJoinOperator<K, VL, VR, VOut>) { self.join = join }
    func process(_ key: K, _ value: Change<VR>, _ attributes: RecordAttributes) { join.processRight(key, value, attributes) }
}
