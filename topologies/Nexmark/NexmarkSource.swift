import Sluice
import SluiceNexmark

/// What every Nexmark query reads: the generator's events, one JSON event per record without a
/// key, as Flink Nexmark's Kafka source writes them. Event time is the event's own `dateTime`.
enum NexmarkSource {
    static let topic = "nexmark"

    /// How late an event may arrive and still count. Stream time here is the largest timestamp a
    /// task has seen (as in Kafka Streams), not Flink's watermark (the smallest over the inputs),
    /// and a repartition topic interleaves upstream tasks that run tens of seconds of event time
    /// apart when they read a filled topic in batches: with Flink Nexmark's 4 s, results depended
    /// on that timing; with 60 s, repeated runs give the same results. Windows close 60 s of
    /// event time later than in Flink.
    static let outOfOrderness = Duration.seconds(60)

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
    var bids: Stream<Key, Bid> { flatMapValues(named: "bids") { event in if case .bid(let bid) = event { [bid] } else { [] } } }
    var auctions: Stream<Key, Auction> {
        flatMapValues(named: "auctions") { event in if case .auction(let auction) = event { [auction] } else { [] } }
    }
    var persons: Stream<Key, Person> {
        flatMapValues(named: "persons") { event in if case .person(let person) = event { [person] } else { [] } }
    }
}
