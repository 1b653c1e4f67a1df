/// The state of building one task's operators from the plan.
///
/// Each node's operator is made once per task, even where a node has several parents (a merge).
public final class TaskBuild {
    public let factory: any OperatorFactory
    private let included: Set<ObjectIdentifier>
    private var memo: [ObjectIdentifier: AnyObject] = [:]

    init(factory: any OperatorFactory, included: Set<ObjectIdentifier>) {
        self.factory = factory
        self.included = included
    }

    /// Whether `node` belongs to the plan (it reaches a sink); others are not built.
    func includes(_ node: LogicalNode) -> Bool { included.contains(ObjectIdentifier(node)) }

    func memoized<K, V>(_ node: LogicalNode, _ make: () -> any Processor<K, V>) -> any Processor<K, V> {
        // Once per node and task at build time, never per record: the cast cannot fail, since only
        // `make` of this node stores under its identity.
        if let box = memo[ObjectIdentifier(node)] as? ProcessorBox<K, V> { return box.processor }
        let processor = make()
        memo[ObjectIdentifier(node)] = ProcessorBox(processor)
        return processor
    }

    /// Any object made once per node and task (e.g. the two sides of a join).
    func memoizedObject<T: AnyObject>(_ node: LogicalNode, _ make: () -> T) -> T {
        // As above: only `make` of this node stores under its identity, so the cast cannot fail.
        if let made = memo[ObjectIdentifier(node)] as? T { return made }
        let made = make()
        memo[ObjectIdentifier(node)] = made
        return made
    }
}

private final class ProcessorBox<K, V> {
    let processor: any Processor<K, V>
    init(_ processor: any Processor<K, V>) { self.processor = processor }
}
