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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        do {
            guard try predicate(key, value) else {
                counters.filtered += 1
                return
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, value, attributes)
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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let mapped: (K2, V2)
        do {
            mapped = try transform(key, value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(mapped.0, mapped.1, attributes)
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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let mapped: V2
        do {
            mapped = try transform(key, value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, mapped, attributes)
    }
}

/// A `nil` result is counted as filtered.
final class CompactMapValuesOperator<K, V, V2>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let transform: @Sendable (K, V) throws -> V2?
    private let downstream: any Processor<K, V2>

    init(context: TaskContext, node: NodeInfo, transform: @escaping @Sendable (K, V) throws -> V2?, downstream: any Processor<K, V2>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.transform = transform
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let mapped: V2?
        do {
            mapped = try transform(key, value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        guard let mapped else {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        downstream.process(key, mapped, attributes)
    }
}

/// A table's updates as their new values; a deletion (no new value) is counted as filtered.
///
/// Not `compactMapValues { $0.new }`: generic code looks up `Optional<V>`'s metadata each time it
/// makes one, and there the closure's result and the operator's copy of it made two per record
/// (2.7% of a hopping aggregate's thread). This operator makes one, and none for the types of
/// `process`'s specialisations.
final class NewValuesOperator<K, V>: Processor {
    private let counters: OperatorCounters
    private let downstream: any Processor<K, V>

    init(context: TaskContext, node: NodeInfo, downstream: any Processor<K, V>) {
        self.counters = context.counters(for: node)
        self.downstream = downstream
    }

    // Counts by string key, windowed or not (the commonest tables streamed), get a body in which
    // `Optional<V>`'s metadata is known; other types look it up per record (1.8% of a hopping
    // aggregate's thread). The body sits apart, as `WindowAggregation.update` does, so that this
    // entry picks it before any lookup.
    @_specialize(where K == Windowed<String>, V == Int64)
    @_specialize(where K == String, V == Int64)
    func process(_ key: K, _ change: Change<V>, _ attributes: RecordAttributes) {
        forward(key, change, attributes)
    }

    @inline(never)
    private func forward(_ key: K, _ change: Change<V>, _ attributes: RecordAttributes) {
        counters.received += 1
        guard let new = change.new else {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        downstream.process(key, new, attributes)
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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let results: [(K2, V2)]
        do {
            results = try transform(key, value)
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
        for (k, v) in results { downstream.process(k, v, attributes) }
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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        do {
            try action(key, value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream?.process(key, value, attributes)
    }
}

final class PassThroughOperator<K, V>: Processor {
    private let counters: OperatorCounters
    private let downstream: any Processor<K, V>

    init(context: TaskContext, node: NodeInfo, downstream: any Processor<K, V>) {
        self.counters = context.counters(for: node)
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        counters.forwarded += 1
        downstream.process(key, value, attributes)
    }
}

/// Not a node of its own: the edge from one node to several children.
final class FanOutOperator<K, V>: Processor {
    private let downstreams: [any Processor<K, V>]

    init(downstreams: [any Processor<K, V>]) { self.downstreams = downstreams }

    /// No operator reads what this one is given (a table whose task only joins it, say).
    var isEmpty: Bool { downstreams.isEmpty }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        for d in downstreams { d.process(key, value, attributes) }
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

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        do {
            for (i, predicate) in predicates.enumerated() where try predicate(key, value) {
                counters.forwarded += 1
                return branches[i].process(key, value, attributes)
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
        otherwise.process(key, value, attributes)
    }
}

/// `flatMapValues`: the user's array is walked as it is, with the key passed alongside, rather
/// than re-made into an array of (key, value) pairs (a second allocation and its metadata per record).
final class FlatMapValuesOperator<K, V, V2>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let transform: @Sendable (V) throws -> [V2]
    private let downstream: any Processor<K, V2>

    init(context: TaskContext, node: NodeInfo, transform: @escaping @Sendable (V) throws -> [V2], downstream: any Processor<K, V2>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.transform = transform
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let results: [V2]
        do {
            results = try transform(value)
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
        for v in results { downstream.process(key, v, attributes) }
    }
}
