import Foundation
import Logging

/// Writes a worker's heartbeats to its application's registry topic, and a tombstone when the
/// worker stops, so readers forget it at once rather than after three missed intervals.
/// - Important: blocking (`leave` flushes); used by the worker's monitor thread.
final class HeartbeatPublisher {
    private let producer: KafkaProducer
    private let topic: String
    private let key: [UInt8]
    private let encoder = JSONEncoder()
    private let logger: Logger

    init(applicationID: String, instanceID: String, client: KafkaConfig, logger: Logger) throws(KafkaError) {
        var config = ProducerConfig(client: client)
        config.linger = .zero
        config.deliveryTimeout = .seconds(30)
        producer = try KafkaProducer(config: config, logger: logger)
        topic = WorkerRegistry.topic(for: applicationID)
        key = Array(instanceID.utf8)
        self.logger = logger
    }

    /// Queues one heartbeat; delivery happens in the background (`poll` serves its report).
    func beat(_ heartbeat: WorkerHeartbeat) {
        do {
            let value = Array(try encoder.encode(heartbeat))
            try producer.send(topic: topic, partition: 0, key: key, value: value)
        } catch {
            logger.warning("heartbeat not sent", metadata: ["error": "\(error)"])
        }
        producer.poll()
        do {
            try producer.throwDeliveryFailures()
        } catch {
            logger.warning("heartbeat not delivered", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the tombstone and waits for it (up to `timeout`).
    func leave(timeout: Duration = .seconds(5)) {
        do {
            try producer.send(topic: topic, partition: 0, key: key, value: nil)
            try producer.flush(timeout: timeout)
        } catch {
            logger.warning("could not tell the registry this worker left; it ages out instead", metadata: ["error": "\(error)"])
        }
    }
}

@available(*, unavailable)
extension HeartbeatPublisher: Sendable {}
