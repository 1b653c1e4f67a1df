/// The Nexmark event stream of Apache Beam's generator
/// (`org.apache.beam.sdk.nexmark.sources.generator.Generator`), event for event, with Flink
/// Nexmark's `channel` and `url` added to bids.
///
/// For the same ``NexmarkConfig`` it yields the events Beam's generator yields for the
/// equivalent `NexmarkConfiguration` (ids, kinds in the proportions 1 person : 3 auctions :
/// 46 bids, hot auctions, sellers and bidders, names, prices, padding, timestamps), because each
/// event is drawn, as in Beam, from a `java.util.Random` seeded with its id. Each event depends
/// only on the configuration and its position, so the stream is deterministic and can be resumed
/// anywhere:
///
/// ```swift
/// let generator = try NexmarkGenerator(config: NexmarkConfig())
/// let first = Array(generator.prefix(1_000))
/// let resumed = try NexmarkGenerator(config: NexmarkConfig(), startingAt: 1_000)  // event 1,000 on
/// ```
///
/// - Important: A generator is a value: copies continue independently. It is `Sendable`, so
///   several threads may each take a copy (or a different ``NexmarkConfig/firstEventId``).
public struct NexmarkGenerator: Sequence, IteratorProtocol, Sendable {
    /// The configuration this generator follows.
    public let config: NexmarkConfig
    /// How many events this generator has emitted: Beam's `eventsCountSoFar` (and its checkpoint).
    public private(set) var eventsSoFar: Int64
    /// Events this generator emits in all: ``NexmarkConfig/numEvents``, or Beam's cap when that
    /// is 0.
    public let maxEvents: Int64

    private let settings: GeneratorSettings

    /// A generator that will next emit the event after `eventsSoFar` events, as Beam's generator
    /// restored from a checkpoint does.
    /// - Parameters:
    ///   - config: What to generate. Default: Beam's defaults.
    ///   - eventsSoFar: Events already emitted, from 0 to ``maxEvents``. Default: 0.
    /// - Throws: ``NexmarkConfigError`` if the configuration is invalid or `eventsSoFar` is out
    ///   of range.
    public init(config: NexmarkConfig = NexmarkConfig(), startingAt eventsSoFar: Int64 = 0) throws(NexmarkConfigError) {
        try config.validate()
        let maxEvents = config.maxEvents
        guard eventsSoFar >= 0, eventsSoFar <= maxEvents else {
            throw NexmarkConfigError(problems: ["startingAt must be in 0...\(maxEvents), not \(eventsSoFar)"])
        }
        self.config = config
        self.eventsSoFar = eventsSoFar
        self.maxEvents = maxEvents
        self.settings = GeneratorSettings(config: config)
    }

    /// The next event, or `nil` after ``maxEvents`` events.
    public mutating func next() -> NexmarkEvent? {
        guard eventsSoFar < maxEvents else { return nil }
        defer { eventsSoFar += 1 }
        return makeEvent(count: eventsSoFar)
    }

    /// The event emitted after `count` events (the `count`-th, from 0), whatever this generator's
    /// position: the same as resuming at `count` and taking one event. `nil` unless `count` is in
    /// `0..<maxEvents`.
    public func event(atCount count: Int64) -> NexmarkEvent? {
        guard count >= 0, count < maxEvents else { return nil }
        return makeEvent(count: count)
    }

    private func makeEvent(count: Int64) -> NexmarkEvent {
        let timeline = settings.timeline
        // Beam stamps the event with the time of its adjusted (out-of-order) number, and seeds
        // its random with its id, the adjusted number offset by firstEventId.
        let adjustedNumber = timeline.adjustedEventNumber(count: count)
        let timestamp = timeline.timestamp(eventNumber: adjustedNumber)
        let eventId = config.firstEventId &+ adjustedNumber
        var random = JavaRandom(seed: eventId)
        let slot = eventId % EventKinds.denominator
        if slot < EventKinds.persons {
            return .person(PersonGenerator.next(eventId: eventId, random: &random, timestamp: timestamp, settings: settings))
        } else if slot < EventKinds.persons + EventKinds.auctions {
            return .auction(
                AuctionGenerator.next(count: count, eventId: eventId, random: &random, timestamp: timestamp, settings: settings))
        } else {
            return .bid(BidGenerator.next(eventId: eventId, random: &random, timestamp: timestamp, settings: settings))
        }
    }

    /// Beam's id of the next event (`getNextEventId`): it decides the event's kind and seeds it.
    public var nextEventId: Int64 {
        config.firstEventId &+ settings.timeline.adjustedEventNumber(count: eventsSoFar)
    }

    /// Beam's watermark for the next event: no event this generator has yet to emit has a
    /// ``NexmarkEvent/dateTime`` before it (events are out of order only within their group).
    public var watermark: NexmarkTimestamp {
        let timeline = settings.timeline
        return NexmarkTimestamp(
            millisecondsSinceEpoch: timeline.timestamp(eventNumber: timeline.watermarkEventNumber(count: eventsSoFar)))
    }
}
