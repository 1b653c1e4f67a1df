import Foundation
import Logging

/// How a process finds the control channel of a `sluice broker` it only knows the bootstrap of.
///
/// The broker writes its control URL to a one-partition topic of its own; an admin that sees the
/// mock's cluster id reads it back. So `sluice run ... --brokers <bootstrap>` needs nothing else.
enum BrokerControlDiscovery {
    static let topic = "_sluice-embedded-broker"

    private struct Announcement: Codable {
        var control: String
    }

    /// Publishes `controlURL` on `broker`.
    static func publish(_ controlURL: String, on broker: EmbeddedBroker) throws(KafkaError) {
        try broker.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: broker.bootstrapServers)))
        let value = (try? JSONEncoder().encode(Announcement(control: controlURL))).map(Array.init) ?? []
        try producer.send(topic: topic, partition: 0, key: nil, value: value)
        try producer.flush(timeout: .seconds(10))
    }

    /// The newest control URL announced on the cluster, or `nil` when there is none.
    static func find(_ config: KafkaConfig, logger: Logger) throws(KafkaError) -> String? {
        let consumer = try KafkaConsumer(
            config: ConsumerConfig(client: config, groupID: "_sluice-discovery", isolation: .readUncommitted), logger: logger)
        let tp = TopicPartition(topic, 0)
        let marks: Watermarks
        do {
            marks = try consumer.watermarks(tp, timeout: config.requestTimeout)
        } catch {
            return nil  // no such topic: a mock cluster nobody announced a channel on.
        }
        guard marks.high > marks.low else { return nil }
        try consumer.assign([TopicPartitionOffset(tp, offset: marks.high - 1)])
        let deadline = ContinuousClock.now + config.requestTimeout
        while ContinuousClock.now < deadline {
            let polled = try? consumer.poll(maxRecords: 1, timeout: .milliseconds(200)) { batch in
                batch.isEmpty ? nil : batch[0].value.map { Array($0) }
            }
            let value = polled ?? nil
            if let value {
                return (try? JSONDecoder().decode(Announcement.self, from: Data(value)))?.control
            }
        }
        return nil
    }
}

extension EmbeddedBroker {
    /// Announces the control channel at `url`, so processes that only know the bootstrap address
    /// can create topics through it (see `KafkaAdmin.connect`).
    public func announceControlChannel(_ url: String) throws(KafkaError) {
        try BrokerControlDiscovery.publish(url, on: self)
    }
}
