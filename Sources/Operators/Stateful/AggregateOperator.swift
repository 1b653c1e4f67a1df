import SluiceTopology

/// Aggregates per key into a key-value store and forwards each new aggregate with the old one.
/// Only the aggregator sees the record's value: the rest is `KeyedAggregation`'s.
final class AggregateOperator<K, V, A>: Processor {
    private let aggregation: KeyedAggregation<K, A>
    private let aggregator: @Sendable (K, V, A?) throws -> A

    init(
        context: TaskContext, node: NodeInfo, state: KeyValueState<K, A>,
        aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<K, Change<A>>
    ) {
        aggregation = KeyedAggregation(context: context, node: node, state: state, downstream: downstream)
        self.aggregator = aggregator
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        aggregation.add(key, attributes) { old in try aggregator(key, value, old) }
    }
}

/// The store and updates of a key-value aggregation, independent of the records' values.
final class KeyedAggregation<K, A> {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: KeyValueState<K, A>
    private let downstream: any Processor<K, Change<A>>

    init(context: TaskContext, node: NodeInfo, state: KeyValueState<K, A>, downstream: any Processor<K, Change<A>>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.downstream = downstream
    }

    /// Folds a record of `key` into its aggregate with `aggregate`. Specialised for counts and
    /// sums by the commonest key types, as `WindowAggregation.add` is (it says why).
    @_specialize(where K == String, A == Int64)
    @_specialize(where K == Int64, A == Int64)
    func add(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        update(key, attributes, aggregate)
    }

    // Apart from `add` for the reason `WindowAggregation.update` gives.
    @inline(never)
    private func update(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        counters.received += 1
        let old: A?
        let new: A
        let timestamp: Int64
        do {
            let storeKey = try state.storeKey(key)
            let stored = try state.stored(storeKey)
            var previousTimestamp = Int64.min
            old = try stored.map { try state.decode($0, key: storeKey, timestamp: &previousTimestamp) }
            new = try aggregate(old)
            timestamp = max(attributes.timestamp, previousTimestamp)
            // Emit on change (Kafka Streams' KIP-557): an update that leaves the aggregate as it was
            // is not forwarded, so a table regrouped downstream does not churn for nothing.
            guard try state.putIfChanged(storeKey, new, timestamp: timestamp, stored: stored) else {
                counters.filtered += 1
                return
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, Change(new: new, old: old), RecordAttributes(timestamp: timestamp, headers: attributes.headers))
    }
}

/// Materializes a topic as a table and forwards each change with the value it replaced.
final class TableSourceOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: KeyValueState<K, V>
    private let downstream: any Processor<K, Change<V>>
    /// Whether any operator of the task reads this table's changes. A table that is only joined
    /// (its store read by the join) has none, and an update then needs no read of the row it
    /// replaces: that read, and the decode it may cost, were a tenth of loading a joined table.
    private let forwardsChanges: Bool

    init(context: TaskContext, node: NodeInfo, state: KeyValueState<K, V>, downstream: any Processor<K, Change<V>>) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.downstream = downstream
        forwardsChanges = !((downstream as? FanOutOperator<K, Change<V>>)?.isEmpty ?? false)
    }

    func process(_ key: K, _ value: V?, _ attributes: RecordAttributes) {
        if !forwardsChanges, value != nil { return store(key, value, attributes) }
        counters.received += 1
        let old: V?
        do {
            let storeKey = try state.storeKey(key)
            old = try state.get(storeKey)?.value
            try put(storeKey, value, attributes)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        if old == nil && value == nil {
            // Deleting an absent key changes nothing: Kafka Streams forwards nothing either.
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        downstream.process(key, Change(new: value, old: old), attributes)
    }

    /// An update no operator reads: stored, and counted as forwarded as it would have been. (A
    /// deletion still reads the row: deleting an absent key is counted as filtered.)
    @inline(never)
    private func store(_ key: K, _ value: V?, _ attributes: RecordAttributes) {
        counters.received += 1
        do {
            try put(try state.storeKey(key), value, attributes)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
    }

    /// Makes `state`'s store, which mirrors the table's source topic, restore that topic's records
    /// as the source and this operator store them (`StateStore.sourceRecord`).
    static func restoresSourceRecords(into state: KeyValueState<K, V>, wallClock: @escaping @Sendable () -> Int64) {
        // Weak: the store outlives neither the task nor its typed wrapper, and must not keep them.
        state.store.sourceRecord = { [weak state] key, value, timestamp in
            let time = timestamp ?? wallClock()  // as the source stamps a record without time
            guard let state, time >= 0 else { return nil }  // a negative time is dead-lettered
            return state.row(fromSource: key, value, timestamp: time)
        }
    }

    /// Stores a row as its record's bytes: the operator's input comes straight from the topic's
    /// source, so `value` was read from the record the task is processing, and writing it again
    /// would only repeat (or, for a serde that does not round-trip, alter) those bytes. Writing
    /// the join row's users again was a third of loading its table.
    private func put(_ key: StoreKey, _ value: V?, _ attributes: RecordAttributes) throws {
        if let value, let serialized = context.currentValue {
            try state.put(key, value, serialized: serialized, timestamp: attributes.timestamp)
        } else {
            try state.put(key, value, timestamp: attributes.timestamp)
        }
    }
}

/// Aggregates table updates: subtracts the old value, adds the new one; an aggregate that
/// subtracts to `nil` is deleted.
final class TableAggregateOperator<K, V, A>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: KeyValueState<K, A>
    private let adder: @Sendable (K, V, A?) throws -> A
    private let subtractor: @Sendable (K, V, A) throws -> A?
    private let downstream: any Processor<K, Change<A>>

    init(
        context: TaskContext, node: NodeInfo, state: KeyValueState<K, A>, adder: @escaping @Sendable (K, V, A?) throws -> A,
        subtractor: @escaping @Sendable (K, V, A) throws -> A?, downstream: any Processor<K, Change<A>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.adder = adder
        self.subtractor = subtractor
        self.downstream = downstream
    }

    func process(_ key: K, _ change: Change<V>, _ attributes: RecordAttributes) {
        counters.received += 1
        let old: A?
        var new: A?
        do {
            let storeKey = try state.storeKey(key)
            old = try state.get(storeKey)?.value
            new = old
            if let removed = change.old, let current = new { new = try subtractor(key, removed, current) }
            if let added = change.new { new = try adder(key, added, new) }
            try state.put(storeKey, new, timestamp: attributes.timestamp)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, Change(new: new, old: old), attributes)
    }
}
