import Synchronization

extension KafkaProducer {
    /// Client-level errors this producer has reported since it was created (brokers down,
    /// authentication, ...); delivery failures are reported by `flush` instead.
    public var clientErrorCount: Int { client.events.errorCount.load(ordering: .relaxed) }
}
