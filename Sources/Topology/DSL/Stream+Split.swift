/// A named branch of `Stream.split`: records for which `predicate` holds (and no earlier branch's).
public struct Branch<Key, Value>: Sendable {
    let name: String
    let predicate: (@Sendable (Key, Value) throws -> Bool)?
    let body: @Sendable (Stream<Key, Value>) -> Pipeline

    /// - Parameters:
    ///   - name: the branch's name, which also names its node.
    ///   - predicate: which records take this branch.
    ///   - body: the pipeline the branch's records flow into.
    public init(
        _ name: String, where predicate: @escaping @Sendable (Key, Value) throws -> Bool,
        _ body: @escaping @Sendable (Stream<Key, Value>) -> Pipeline
    ) {
        self.name = name
        self.predicate = predicate
        self.body = body
    }

    /// The branch of records no other branch took (Kafka Streams' `defaultBranch`).
    public static func otherwise(
        _ name: String = "default", _ body: @escaping @Sendable (Stream<Key, Value>) -> Pipeline
    ) -> Branch {
        Branch(name: name, predicate: nil, body: body)
    }

    private init(
        name: String, predicate: (@Sendable (Key, Value) throws -> Bool)?,
        body: @escaping @Sendable (Stream<Key, Value>) -> Pipeline
    ) {
        self.name = name
        self.predicate = predicate
        self.body = body
    }
}

/// Collects the branches of a `split`.
@resultBuilder
public enum BranchBuilder<Key, Value> {
    public static func buildExpression(_ branch: Branch<Key, Value>) -> [Branch<Key, Value>] { [branch] }
    public static func buildBlock(_ parts: [Branch<Key, Value>]...) -> [Branch<Key, Value>] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Branch<Key, Value>]?) -> [Branch<Key, Value>] { part ?? [] }
    public static func buildEither(first part: [Branch<Key, Value>]) -> [Branch<Key, Value>] { part }
    public static func buildEither(second part: [Branch<Key, Value>]) -> [Branch<Key, Value>] { part }
    public static func buildArray(_ parts: [[Branch<Key, Value>]]) -> [Branch<Key, Value>] { parts.flatMap { $0 } }
}

extension Stream {
    /// Routes each record to the first branch whose predicate holds (Kafka Streams' `split`):
    ///
    /// ```swift
    /// events.split(named: "by-category") {
    ///     Branch("clicks", where: { _, e in e.type == "click" }) { $0.to("clicks") }
    ///     Branch("views", where: { _, e in e.type == "view" }) { $0.to("views") }
    ///     Branch.otherwise { $0.to("other-events") }
    /// }
    /// ```
    /// Records that match no branch and find no `otherwise` are dropped (counted as filtered).
    public func split(
        named name: String, @BranchBuilder<Key, Value> _ branches: () -> [Branch<Key, Value>]
    ) -> Pipeline {
        let all = branches()
        let router = StreamNode<Key, Value>(
            operation: "split", explicitName: name, parents: [node], keySerde: node.keySerde, valueSerde: node.valueSerde)
        let routed = all.filter { $0.predicate != nil }
        let fallback = all.first { $0.predicate == nil }
        // One pass-through node per branch, so each branch is named and counted on its own.
        let heads = (routed + (fallback.map { [$0] } ?? [])).map { branch in
            MergeNode<Key, Value>(
                operation: "branch", explicitName: "\(name)-\(branch.name)", parents: [router], keySerde: node.keySerde,
                valueSerde: node.valueSerde)
        }
        let predicates = routed.map { $0.predicate! }
        node.connect(router) { task in
            let targets = heads.map { $0.input(task) }
            return task.factory.branch(
                router.info, predicates: predicates, branches: Array(targets.prefix(predicates.count)),
                otherwise: fallback == nil ? nil : targets.last)
        }
        var terminals: [LogicalNode] = []
        for (branch, head) in zip(routed + (fallback.map { [$0] } ?? []), heads) {
            terminals += branch.body(Stream(node: head)).terminals
        }
        return Pipeline(terminals: terminals)
    }
}
