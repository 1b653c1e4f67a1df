import SluiceTopology

/// Serializes records and hands them to the collector. A record its serdes or topic chooser
/// reject goes to the dead-letter topic; a record the collector cannot take fails the task.
final class SinkOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let topic: String
    private let chooser: (@Sendable (K, V) throws -> String)?
    private let keySerde: any Serde<K>
    private let valueSerde: any Serde<V>
    // Reused for every record: serializing allocates nothing once they have grown.
    private var keyBuffer: [UInt8] = []
    private var valueBuffer: [UInt8] = []

    init(
        context: TaskContext, node: NodeInfo, topic: String, chooser: (@Sendable (K, V) throws -> String)?,
        key: any Serde<K>, value: any Serde<V>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.topic = topic
        self.chooser = chooser
        self.keySerde = key
        self.valueSerde = value
        keyBuffer.reserveCapacity(64)
        valueBuffer.reserveCapacity(512)
    }

    func process(_ record: Record<K, V>) {
        counters.received += 1
        keyBuffer.removeAll(keepingCapacity: true)
        valueBuffer.removeAll(keepingCapacity: true)
        let hasKey: Bool
        let hasValue: Bool
        let destination: String
        do {
            hasKey = try keySerde.serialize(record.key, into: &keyBuffer)
            hasValue = try valueSerde.serialize(record.value, into: &valueBuffer)
            destination = try chooser?(record.key, record.value) ?? topic
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        do {
            try keyBuffer.withUnsafeBytes { key in
                try valueBuffer.withUnsafeBytes { value in
                    try context.collector.send(
                        topic: destination, partition: nil, key: hasKey ? key : nil, value: hasValue ? value : nil,
                        headers: record.headers, timestamp: record.timestamp)
                }
            }
        } catch {
            return context.fail(error)
        }
        counters.forwarded += 1
    }
}
