import SluiceTopology

// One small class per stateless operator. Each counts what it did and sends a record whose
// closure throws to the dead-letter topic; none lets an error escape up the chain.

final class FilterOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let predicate: @Sendable (K, V) throws -> Bool
    private let downstream: any Processor<K, V>

    init(context: TaskContext, node: NodeInfo, predicate: @escaping @Sendable (K, V) throws -> Bool, downstream: any Processor<K, V>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.predicate = predicate
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        do {
            guard try predicate(record.key, record.value) else {
                counters.filtered += 1
                return
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(record)
    }
}

final class MapOperator<K, V, K2, V2>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let transform: @Sendable (K, V) throws -> (K2, V2)
    private let downstream: any Processor<K2, V2>

    init(context: TaskContext, node: NodeInfo, transform: @escaping @Sendable (K, V) throws -> (K2, V2), downstream: any Processor<K2, V2>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.transform = transform
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        let key: K2
        let value: V2
        do {
            (key, value) = try transform(record.key, record.value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
    }
}

final class MapValuesOperator<K, V, V2>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let transform: @Sendable (K, V) throws -> V2
    private let downstream: any Processor<K, V2>

    init(context: TaskContext, node: NodeInfo, transform: @escaping @Sendable (K, V) throws -> V2, downstream: any Processor<K, V2>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.transform = transform
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        let value: V2
        do {
            value = try transform(record.key, record.value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(Record(key: record.key, value: value, timestamp: record.timestamp, headers: record.headers))
    }
}

final class FlatMapOperator<K, V, K2, V2>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let transform: @Sendable (K, V) throws -> [(K2, V2)]
    private let downstream: any Processor<K2, V2>

    init(context: TaskContext, node: NodeInfo, transform: @escaping @Sendable (K, V) throws -> [(K2, V2)], downstream: any Processor<K2, V2>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.transform = transform
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        let results: [(K2, V2)]
        do {
            results = try transform(record.key, record.value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        if results.isEmpty {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        counters.emitted += results.count
        for (key, value) in results {
            downstream.process(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
        }
    }
}

final class PeekOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let action: @Sendable (K, V) throws -> Void
    private let downstream: (any Processor<K, V>)?

    init(context: TaskContext, node: NodeInfo, action: @escaping @Sendable (K, V) throws -> Void, downstream: (any Processor<K, V>)?) {
        self.context = context
        self.counters = context.counters(for: node)
        self.action = action
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        do {
            try action(record.key, record.value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream?.process(record)
    }
}

final class PassThroughOperator<K, V>: Processor {
    private let counters: OperatorCounters
    private let downstream: any Processor<K, V>

    init(context: TaskContext, node: NodeInfo, downstream: any Processor<K, V>) {
        self.counters = context.counters(for: node)
        self.downstream = downstream
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        counters.forwarded += 1
        downstream.process(record)
    }
}

/// Not a node of its own: the edge from one node to several children.
final class FanOutOperator<K, V>: Processor {
    private let downstreams: [any Processor<K, V>]

    init(downstreams: [any Processor<K, V>]) { self.downstreams = downstreams }

    func process(_ record: Record<K, V>) {
        for d in downstreams { d.process(record) }
    }
}

final class BranchOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let predicates: [@Sendable (K, V) throws -> Bool]
    private let branches: [any Processor<K, V>]
    private let otherwise: (any Processor<K, V>)?

    init(
        context: TaskContext, node: NodeInfo, predicates: [@Sendable (K, V) throws -> Bool],
        branches: [any Processor<K, V>], otherwise: (any Processor<K, V>)?
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.predicates = predicates
        self.branches = branches
        self.otherwise = otherwise
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        do {
            for (i, predicate) in predicates.enumerated() where try predicate(record.key, record.value) {
                counters.forwarded += 1
                return branches[i].process(record)
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        guard let otherwise else {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        otherwise.process(record)
    }
}
