/// A node that joins its parents: every topic feeding them must be co-partitioned, and the node
/// may keep state of its own (stream-stream windows, foreign-key subscriptions and results).
final class JoinNode<Key, Value>: StreamNode<Key, Value>, @unchecked Sendable {
    let storeSpecs: [StoreSpec]
    /// Global tables this node reads (global-table joins).
    var globals: [GlobalTableSpec] = []
    /// Whether the node's inputs must be co-partitioned: not for a global-table join.
    var copartitions = true
    /// The parent only looked up, never joined on its own updates (the table of a stream-table
    /// join): a task reads its topics to their end before its other inputs.
    var lookupParent: Int?

    init(
        operation: String, explicitName: String?, parents: [LogicalNode], keySerde: (any Serde<Key>)?,
        valueSerde: (any Serde<Value>)?, stores: [StoreSpec] = []
    ) {
        self.storeSpecs = stores
        super.init(operation: operation, explicitName: explicitName, parents: parents, keySerde: keySerde, valueSerde: valueSerde)
    }

    override var stores: [StoreSpec] { storeSpecs }
    override var joinsParents: Bool { copartitions }
    override var globalTables: [GlobalTableSpec] { globals }
}

/// Builds the processors of a node with several typed inputs once per task, and hands each input
/// its own: a join's left and right side share one operator.
final class JoinSides<Left, Right> {
    let left: Left
    let right: Right
    init(_ left: Left, _ right: Right) {
        self.left = left
        self.right = right
    }
}

extension TaskBuild {
    /// The object `make` builds for `node` in this task, built once.
    func memoizedSides<L, R>(_ node: LogicalNode, _ make: () -> (L, R)) -> JoinSides<L, R> {
        memoizedObject(node) {
            let (l, r) = make()
            return JoinSides(l, r)
        }
    }
}
