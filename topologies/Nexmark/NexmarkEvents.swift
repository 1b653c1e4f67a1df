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
        // Events have no key. librdkafka's sticky partitioner sends 10 ms of unkeyed records to one
        // partition, which at this rate overfills some partitions of the embedded broker (~5 MiB
        // each, DESIGN.md §4): each record picks its partition instead. 16 KiB batches, the Java
        // producer's default, for the same reason.
        let client = KafkaConfig(
            bootstrapServers: bootstrap, properties: ["batch.size": "16384", "sticky.partitioning.linger.ms": "0"])
        let producer = try KafkaProducer(config: ProducerConfig(client: client, linger: .milliseconds(20)))
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
    /// What q0/q1 (every bid), q2 (bids on every 123rd auction) and q3 (category-10 auctions of
    /// sellers in OR, ID or CA, each once) write for the first `count` events.
    public static func expectedRows(_ count: Int) throws -> (bids: Int, q2: Int, q3: Int) {
        var config = NexmarkConfig()
        config.numEvents = Int64(count)
        var bids = 0
        var q2 = 0
        var localSellers: Set<Int64> = []
        var category10Sellers: [Int64] = []
        for event in try NexmarkGenerator(config: config) {
            switch event {
            case .bid(let bid):
                bids += 1
                if bid.auction % 123 == 0 { q2 += 1 }
            case .person(let person):
                if NexmarkQ3.states.contains(person.state) { localSellers.insert(person.id) }
            case .auction(let auction):
                if auction.category == NexmarkQ3.category { category10Sellers.append(auction.seller) }
            }
        }
        return (bids, q2, category10Sellers.filter(localSellers.contains).count)
    }
}
