import SluiceTopology

/// Serializes records and hands them to the collector. A record its serdes or topic chooser
/// reject goes to the dead-letter topic; a record the collector cannot take fails the task.
final class SinkOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let topic: String
    // Not optional: calling an optional closure of a generic type looks up its type's metadata
    // on every call. A fixed sink never calls it.
    private let chooser: @Sendable (K, V) throws -> String
    private let dynamic: Bool
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    // Reused for every record: serializing allocates nothing once they have grown. Only this
    // operator touches them, on its task's thread; run-time exclusivity checks would cost more
    // than the copy they guard.
    @exclusivity(unchecked) private var keyBuffer: [UInt8] = []
    @exclusivity(unchecked) private var valueBuffer: [UInt8] = []

    init(
        context: TaskContext, node: NodeInfo, topic: String, chooser: (@Sendable (K, V) throws -> String)?,
        key: any Serde<K>, value: any Serde<V>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.topic = topic
        self.chooser = chooser ?? { _, _ in topic }
        self.dynamic = chooser != nil
        self.keySerde = key
        self.valueSerde = value
        keyBuffer.reserveCapacity(64)
        valueBuffer.reserveCapacity(512)
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        // Serdes lend the bytes of values that hold them (bytes, strings) and serialize the rest
        // into the reused buffers. What the collector refuses fails the task; what the serdes or
        // the chooser refuse goes to the dead-letter topic.
        var refused: (any Error)?
        do {
            let destination = dynamic ? try chooser(key, value) : topic
            try keySerde.withSerializedBytes(key, scratch: &keyBuffer) { keyBytes in
                try valueSerde.withSerializedBytes(value, scratch: &valueBuffer) { valueBytes in
                    do {
                        try context.collector.send(
                            topic: destination, partition: nil, key: keyBytes, value: valueBytes, headers: attributes.headers,
                            timestamp: attributes.timestamp)
                    } catch {
                        refused = error
                    }
                }
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        if let refused { return context.fail(refused) }
        counters.forwarded += 1
    }
}
