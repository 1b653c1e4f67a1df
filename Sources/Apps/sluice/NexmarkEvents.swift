import Sluice
import SluiceNexmark

/// Beam's Nexmark events, in Flink Nexmark's JSON, written as fast as the producer takes them.
enum NexmarkEvents {
    static let topic = "nexmark"

    static func produce(_ count: Int, to bootstrap: String) throws {
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
