import SluiceOperators
import SluiceTopology

/// Sends a stream thread's output through its producer, with a topic handle cached per topic.
/// - Important: owned by one stream thread.
final class KafkaRecordCollector: RecordCollector {
    let producer: KafkaProducer
    private var handles: [String: ProducerTopic] = [:]
    // A sink sends to one topic again and again: compare first (the same string storage compares
    // at once), hash only when the topic changes.
    private var lastTopic = ""
    // Unmanaged: `handles` keeps it, and a call through a reference retained and released it per record.
    private var lastHandle: Unmanaged<ProducerTopic>?
    /// Records sent since the last commit step.
    private(set) var sent = 0
    /// Under exactly-once: the first send of a commit interval begins its transaction.
    let transactional: Bool
    /// A transaction is open (begun, neither committed nor aborted).
    private(set) var inTransaction = false

    init(producer: KafkaProducer, transactional: Bool = false) {
        self.producer = producer
        self.transactional = transactional
    }

    /// Begins the interval's transaction unless one is open.
    func beginTransactionIfNeeded() throws(KafkaError) {
        guard transactional, !inTransaction else { return }
        try producer.beginTransaction()
        inTransaction = true
    }

    /// The open transaction committed or aborted.
    func transactionEnded() { inTransaction = false }

    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: RecordHeaders, timestamp: Int64
    ) throws {
        if lastHandle == nil || topic != lastTopic { try switchTopic(to: topic) }
        if transactional && !inTransaction { try beginTransactionIfNeeded() }
        // The cached handle is stored again only when the topic changes: storing it per record
        // released and retained it and the topic's name each time.
        try lastHandle.unsafelyUnwrapped._withUnsafeGuaranteedRef { handle in
            try producer.send(to: handle, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp)
        }
        sent += 1
    }

    private func switchTopic(to topic: String) throws(KafkaError) {
        let handle: ProducerTopic
        if let cached = handles[topic] {
            handle = cached
        } else {
            handle = try producer.topic(topic)
            handles[topic] = handle
        }
        lastTopic = topic
        lastHandle = Unmanaged.passUnretained(handle)
    }

    func resetSent() { sent = 0 }
}
