import SluiceTopology

// The three steps of a foreign-key join (Kafka Streams' KIP-213 design); see
// `Table+ForeignKeyJoin.swift` for the topics between them.

/// Left: each update of a left row subscribes it to its foreign key, and unsubscribes it from the
/// key it had when that changed or the row was deleted.
final class ForeignKeySubscribeOperator<K, VL, KO>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let leftSerde: any Serde<VL>
    private let foreignKeySerde: any Serde<KO>
    private let foreignKey: @Sendable (VL) throws -> KO
    private let downstream: any Processor<KO, Subscription<K>>

    init(
        context: TaskContext, node: NodeInfo, leftSerde: any Serde<VL>, foreignKeySerde: any Serde<KO>,
        foreignKey: @escaping @Sendable (VL) throws -> KO, downstream: any Processor<KO, Subscription<K>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.leftSerde = leftSerde
        self.foreignKeySerde = foreignKeySerde
        self.foreignKey = foreignKey
        self.downstream = downstream
    }

    func process(_ key: K, _ change: Change<VL>, _ attributes: RecordAttributes) {
        counters.received += 1
        var out: [(KO, Subscription<K>)] = []
        do {
            let oldKey = try change.old.map(foreignKey)
            if let new = change.new {
                let newKey = try foreignKey(new)
                var bytes: [UInt8] = []
                _ = try leftSerde.serialize(new, into: &bytes)
                let hash = ValueHash.of(bytes)
                if let oldKey, try self.bytes(oldKey) != self.bytes(newKey) {
                    out.append((oldKey, Subscription(primaryKey: key, hash: hash, instruction: .deleteWithoutPropagating)))
                }
                out.append((newKey, Subscription(primaryKey: key, hash: hash, instruction: .propagate)))
            } else if let oldKey {
                out.append((oldKey, Subscription(primaryKey: key, hash: nil, instruction: .deleteAndPropagate)))
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        counters.emitted += out.count
        for (k, s) in out { downstream.process(k, s, attributes) }
    }

    private func bytes(_ key: KO) throws -> [UInt8] {
        var b: [UInt8] = []
        guard try foreignKeySerde.serialize(key, into: &b) else { throw SerdeError("a foreign key must not be null") }
        return b
    }
}

/// Right: keeps each foreign key's subscribers (`[fk length][fk][primary key]` → hash of the left
/// value) and answers with the right value: a new subscription at once, and every subscriber of a
/// right row when it changes.
final class ForeignKeySubscriptionsOperator<K, KO, VR> {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let subscriptions: StateStore
    private let right: KeyValueState<KO, VR>
    private let foreignKeySerde: any Serde<KO>
    private let primaryKeySerde: any Serde<K>
    private let downstream: any Processor<K, SubscriptionResponse<VR>>

    init(
        context: TaskContext, node: NodeInfo, subscriptions: StateStore, right: KeyValueState<KO, VR>, foreignKey: any Serde<KO>,
        primaryKey: any Serde<K>, downstream: any Processor<K, SubscriptionResponse<VR>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.subscriptions = subscriptions
        self.right = right
        self.foreignKeySerde = foreignKey
        self.primaryKeySerde = primaryKey
        self.downstream = downstream
    }

    /// `[fk length][fk]`, the prefix of a foreign key's subscribers.
    private func prefix(_ fk: KO) throws -> (prefix: [UInt8], fk: [UInt8]) {
        var fkBytes: [UInt8] = []
        guard try foreignKeySerde.serialize(fk, into: &fkBytes) else { throw SerdeError("a foreign key must not be null") }
        var p: [UInt8] = []
        StoreEncoding.appendLength(fkBytes.count, to: &p)
        p.append(contentsOf: fkBytes)
        return (p, fkBytes)
    }

    func processSubscription(_ fk: KO, _ s: Subscription<K>, _ attributes: RecordAttributes) {
        counters.received += 1
        var response: SubscriptionResponse<VR>?
        do {
            let (p, fkBytes) = try prefix(fk)
            var key = p
            guard try primaryKeySerde.serialize(s.primaryKey, into: &key) else { throw SerdeError("a primary key must not be null") }
            switch s.instruction {
            case .deleteAndPropagate:
                try subscriptions.put(key, nil)
                response = SubscriptionResponse(hash: nil, value: nil)
            case .deleteWithoutPropagating:
                try subscriptions.put(key, nil)
            case .propagate:
                var hash: [UInt8] = []
                if let h = s.hash {
                    ByteOrder.appendInt64(Int64(bitPattern: h.high), to: &hash)
                    ByteOrder.appendInt64(Int64(bitPattern: h.low), to: &hash)
                }
                try subscriptions.put(key, hash)
                response = SubscriptionResponse(hash: s.hash, value: try right.get(StoreKey(fkBytes))?.value)
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        guard let response else {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        downstream.process(s.primaryKey, response, attributes)
    }

    func processRightChange(_ fk: KO, _ change: Change<VR>, _ attributes: RecordAttributes) {
        counters.received += 1
        var responses: [(K, SubscriptionResponse<VR>)] = []
        do {
            let (p, _) = try prefix(fk)
            var failure: (any Error)?
            try subscriptions.scan(from: p, to: StoreEncoding.successor(ofPrefix: p)) { key, value in
                do {
                    let pk = try primaryKeySerde.deserialize(UnsafeRawBufferPointer(rebasing: key[p.count...]))
                    let hash = value.count == 16
                        ? ValueHash(high: UInt64(bitPattern: ByteOrder.int64(value, at: 0)), low: UInt64(bitPattern: ByteOrder.int64(value, at: 8)))
                        : nil
                    responses.append((pk, SubscriptionResponse(hash: hash, value: change.new)))
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        if responses.isEmpty {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        counters.emitted += responses.count
        for (pk, r) in responses { downstream.process(pk, r, attributes) }
    }
}

final class ForeignKeySubscriptionInput<K, KO, VR>: Processor {
    let join: ForeignKeySubscriptionsOperator<K, KO, VR>
    init(_ join: ForeignKeySubscriptionsOperator<K, KO, VR>) { self.join = join }
    func process(_ key: KO, _ value: Subscription<K>, _ attributes: RecordAttributes) { join.processSubscription(key, value, attributes) }
}

final class ForeignKeyRightInput<K, KO, VR>: Processor {
    let join: ForeignKeySubscriptionsOperator<K, KO, VR>
    init(_ join: ForeignKeySubscriptionsOperator<K, KO, VR>) { self.join = join }
    func process(_ key: KO, _ value: Change<VR>, _ attributes: RecordAttributes) { join.processRightChange(key, value, attributes) }
}

/// Left again: joins a response with the left row it answers. A response whose hash is not that of
/// the row's current value answers a value the row has since replaced, and is dropped (counted as
/// filtered). Results are kept, so each update carries the result it replaces and a result that
/// disappears becomes one deletion (never a deletion of something that was not there).
final class ForeignKeyResponseJoinOperator<K, VL, VR, VOut>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let left: KeyValueState<K, VL>
    private let leftSerde: any Serde<VL>
    private let results: KeyValueState<K, VOut>
    private let inner: Bool
    private let joiner: @Sendable (VL, VR?) throws -> VOut
    private let downstream: any Processor<K, Change<VOut>>

    init(
        context: TaskContext, node: NodeInfo, left: KeyValueState<K, VL>, leftSerde: any Serde<VL>, results: KeyValueState<K, VOut>,
        inner: Bool, joiner: @escaping @Sendable (VL, VR?) throws -> VOut, downstream: any Processor<K, Change<VOut>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.left = left
        self.leftSerde = leftSerde
        self.results = results
        self.inner = inner
        self.joiner = joiner
        self.downstream = downstream
    }

    func process(_ key: K, _ response: SubscriptionResponse<VR>, _ attributes: RecordAttributes) {
        counters.received += 1
        let update: Change<VOut>
        do {
            let storeKey = try left.storeKey(key)
            let current = try left.get(storeKey)?.value
            var currentHash: ValueHash?
            if let current {
                var bytes: [UInt8] = []
                _ = try leftSerde.serialize(current, into: &bytes)
                currentHash = ValueHash.of(bytes)
            }
            guard currentHash == response.hash else {
                counters.filtered += 1
                return
            }
            var new: VOut?
            if let current, !(inner && response.value == nil) { new = try joiner(current, response.value) }
            let old = try results.get(storeKey)?.value
            if new == nil && old == nil {
                counters.filtered += 1
                return
            }
            try results.put(storeKey, new, timestamp: attributes.timestamp)
            update = Change(new: new, old: old)
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        downstream.process(key, update, attributes)
    }
}
