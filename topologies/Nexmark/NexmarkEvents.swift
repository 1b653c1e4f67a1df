import Sluice
import SluiceNexmark

/// Beam's Nexmark events, in Flink Nexmark's JSON, written as fast as the producer takes them:
/// the input of `sluice nexmark run` and of the bench's Nexmark rows.
public enum NexmarkEvents {
    public static let topic = "nexmark"

    public static func produce(_ count: Int, to bootstrap: String) throws {
        var config = NexmarkConfig()
        config.numEvents = Int64(count)
        let generator = try NexmarkGenerator(config: config)
        let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap), linger: .milliseconds(20)))
        let handle = try producer.topic(topic)
        var bytes: [UInt8] = []
        for (i, event) in generator.enumerated() {
            bytes.removeAll(keepingCapacity: true)
            event.appendJSON(to: &bytes)
            try bytes.withUnsafeBytes { v in
                try producer.send(to: handle, key: nil, value: v, timestamp: event.dateTime.millisecondsSinceEpoch)
            }
            if i % 10_000 == 0 { producer.poll() }
        }
        try producer.flush(timeout: .seconds(120))
    }
}

extension NexmarkEvents {
    /// What q0/q1 (every bid) and q2 (bids on every 123rd auction) write for the first `count` events.
    public static func expectedRows(_ count: Int) throws -> (bids: Int, q2: Int) {
        var config = NexmarkConfig()
        config.numEvents = Int64(count)
        var bids = 0
        var q2 = 0
        for case .bid(let bid) in try NexmarkGenerator(config: config) {
            bids += 1
            if bid.auction % 123 == 0 { q2 += 1 }
        }
        return (bids, q2)
    }
}
