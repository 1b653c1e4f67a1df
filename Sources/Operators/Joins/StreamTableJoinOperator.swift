import SluiceTopology

/// Joins each stream record with the table's value for its key when the record is processed
/// (Kafka Streams' `KStreamKTableJoin`). An inner join drops records whose key the table lacks
/// (counted as filtered); a left join joins them with `nil`.
final class StreamTableJoinOperator<K, V, VT, VOut>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let table: KeyValueState<K, VT>
    // The joiner's two cases, apart: this code is not specialised for the user's types, and an
    // enum, tuple or optional of them costs a metadata lookup each time it is made or read (with
    // the table's row read as an optional, about 6% of a join's stream thread).
    private let inner: (@Sendable (V, VT) throws -> VOut)?
    private let left: (@Sendable (V, VT?) throws -> VOut)?
    private let downstream: any Processor<K, VOut>

    init(
        context: TaskContext, node: NodeInfo, table: KeyValueState<K, VT>, joiner: TableJoiner<V, VT, VOut>,
        downstream: any Processor<K, VOut>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.table = table
        switch joiner {
        case .inner(let join): (inner, left) = (join, nil)
        case .left(let join): (inner, left) = (nil, join)
        }
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        do {
            let storeKey = try table.storeKey(key)
            guard let inner else { return try leftJoin(key, value, storeKey, attributes) }
            if try table.withValue(storeKey, { row in forward(key, try inner(value, row), attributes) }) { return }
            counters.filtered += 1
        } catch {
            counters.deadLettered += 1
            context.deadLetter(error, at: counters.node)
        }
    }

    // Apart, so that the inner join's path needs no metadata of `VT?`.
    @inline(never)
    private func leftJoin(_ key: K, _ value: V, _ storeKey: StoreKey, _ attributes: RecordAttributes) throws {
        forward(key, try left!(value, try table.get(storeKey)?.value), attributes)
    }

    private func forward(_ key: K, _ joined: VOut, _ attributes: RecordAttributes) {
        counters.forwarded += 1
        downstream.process(key, joined, attributes)
    }
}

/// Joins each stream record with a global table's value for the key `selector` picks (Kafka
/// Streams' `KStreamGlobalKTableJoin`). The global store is read, never written, on this thread.
final class GlobalTableJoinOperator<K, V, GK, GV, VOut>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let store: GlobalStore
    private let keySerde: any Serde<GK>
    private let valueSerde: any Serde<GV>
    private let inner: Bool
    private let selector: @Sendable (K, V) throws -> GK
    private let joiner: @Sendable (V, GV?) throws -> VOut
    private let downstream: any Processor<K, VOut>
    @exclusivity(unchecked) private var keyBuffer: [UInt8] = []

    init(
        context: TaskContext, node: NodeInfo, store: GlobalStore, key: any Serde<GK>, value: any Serde<GV>, inner: Bool,
        selector: @escaping @Sendable (K, V) throws -> GK, joiner: @escaping @Sendable (V, GV?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.store = store
        self.keySerde = key
        self.valueSerde = value
        self.inner = inner
        self.selector = selector
        self.joiner = joiner
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let joined: VOut
        do {
            keyBuffer.removeAll(keepingCapacity: true)
            guard try keySerde.serialize(try selector(key, value), into: &keyBuffer) else {
                throw SerdeError("a global table key must not be null")
            }
            let found = try store.get(keyBuffer).map { bytes in try bytes.withUnsafeBytes { try valueSerde.deserialize($0) } }
            if found == nil && inner {
                counters.filtered += 1
                return
            }
            joined = try joiner(value, found)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, joined, attributes)
    }
}
