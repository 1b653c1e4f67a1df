import Sluice
import SluiceNexmark

/// What every Nexmark query reads: the generator's events, one JSON event per record without a
/// key, as Flink Nexmark's Kafka source writes them. Event time is the event's own `dateTime`.
enum NexmarkSource {
    static let topic = "nexmark"

    /// How late an event may arrive and still count: Flink Nexmark's watermark delay. Behind a
    /// repartition topic a worker's stream time is the smallest its writers reported (their
    /// watermarks), so writers that read a filled topic minutes of event time apart make nothing
    /// late, and windows close as much after their end as in Flink.
    static let outOfOrderness = Duration.seconds(4)

    /// Beam's default configuration (seedless: Beam's generator is a function of the event number),
    /// unbounded, so `sluice run nexmark-qN --generate RATE` can go on for as long as it runs.
    static let samples = SampleSource(topic: topic) { i in
        let generator = sampleGenerator
        var bytes: [UInt8] = []
        generator.event(atCount: Int64(i))?.appendJSON(to: &bytes)
        return (nil, bytes)
    }

    private static let sampleGenerator: NexmarkGenerator = {
        var config = NexmarkConfig()
        config.numEvents = 0
        return try! NexmarkGenerator(config: config)  // Beam's defaults are valid by construction.
    }()

    /// The events, timestamped with their event time.
    static func events(named name: String = "events") -> Stream<[UInt8]?, NexmarkEvent> {
        Stream(topic, key: .bytes.optional, value: .nexmark, named: name, timestamp: { _, event, _ in event.dateTime.millisecondsSinceEpoch })
    }

    /// The events timestamped with the time they are processed (Flink's `PROCTIME()`).
    static func eventsInProcessingTime(named name: String = "events") -> Stream<[UInt8]?, NexmarkEvent> {
        Stream(topic, key: .bytes.optional, value: .nexmark, named: name, timestamp: { _, _, _ in
            WallClock.millisecondsSinceEpoch()
        })
    }
}

extension Stream where Value == NexmarkEvent {
    var bids: Stream<Key, Bid> { compactMapValues(named: "bids") { event in if case .bid(let bid) = event { bid } else { nil } } }
    var auctions: Stream<Key, Auction> {
        compactMapValues(named: "auctions") { event in if case .auction(let auction) = event { auction } else { nil } }
    }
    var persons: Stream<Key, Person> {
        compactMapValues(named: "persons") { event in if case .person(let person) = event { person } else { nil } }
    }
}
