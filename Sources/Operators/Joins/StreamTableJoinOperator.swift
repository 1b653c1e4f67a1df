import SluiceTopology

/// Joins each stream record with the table's value for its key when the record is processed
/// (Kafka Streams' `KStreamKTableJoin`). An inner join drops records whose key the table lacks
/// (counted as filtered); a left join joins them with `nil`.
final class StreamTableJoinOperator<K, V, VT, VOut>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let table: KeyValueState<K, VT>
    private let inner: Bool
    private let joiner: @Sendable (V, VT?) throws -> VOut
    private let downstream: any Processor<K, VOut>

    init(
        context: TaskContext, node: NodeInfo, table: KeyValueState<K, VT>, inner: Bool,
        joiner: @escaping @Sendable (V, VT?) throws -> VOut, downstream: any Processor<K, VOut>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.table = table
        self.inner = inner
        self.joiner = joiner
        self.downstream = downstream
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let joined: VOut
        do {
            let row = try table.get(try table.storeKey(key))
            if row == nil && inner {
                counters.filtered += 1
                return
            }
            joined = try joiner(value, row?.value)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
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
