import SluiceNexmark
import SluiceTesting
import SluiceTopology
@testable import Topologies

/// A TopologyTestDriver over one Nexmark query, fed hand-made events in event time.
struct NexmarkHarness {
    let driver: TopologyTestDriver
    let events: TestInputTopic<[UInt8]?, NexmarkEvent>

    init<T: TopologyDefinition>(_ query: T, partitions: Int = 1) throws {
        driver = try TopologyTestDriver(query, defaultPartitions: partitions)
        events = driver.input("nexmark", key: BytesSerde().optional, value: .nexmark)
    }

    /// Pipes events as the source topic holds them: no key, timestamped with their `dateTime`.
    func pipe(_ batch: NexmarkEvent...) throws {
        for event in batch { try events.pipe(key: nil, value: event, timestamp: event.dateTime.millisecondsSinceEpoch) }
    }

    func output<V: Codable & Sendable>(_ topic: String, _ type: V.Type) -> TestOutputTopic<Int64, V> {
        driver.output(topic, key: .int64, value: .json(V.self))
    }
}

func person(_ id: Int64, name: String? = nil, state: String = "OR", at time: Int64) -> NexmarkEvent {
    .person(Person(
        id: id, name: name ?? "p\(id)", emailAddress: "p\(id)@example.com", creditCard: "1234", city: "city\(id)", state: state,
        dateTime: ts(time), extra: ""))
}

func auction(_ id: Int64, seller: Int64, category: Int64 = 10, at time: Int64, expires: Int64? = nil) -> NexmarkEvent {
    .auction(Auction(
        id: id, itemName: "item\(id)", description: "", initialBid: 1, reserve: 1, dateTime: ts(time), expires: ts(expires ?? time + 60_000),
        seller: seller, category: category, extra: ""))
}

func bid(_ auction: Int64, price: Int64, bidder: Int64 = 1, at time: Int64) -> NexmarkEvent {
    .bid(Bid(auction: auction, bidder: bidder, price: price, channel: "Google", url: "https://example.com", dateTime: ts(time), extra: ""))
}

func ts(_ milliseconds: Int64) -> NexmarkTimestamp { NexmarkTimestamp(millisecondsSinceEpoch: milliseconds) }

/// The grace every query's windows take (`NexmarkSource.outOfOrderness`), in milliseconds.
let grace = NexmarkSource.outOfOrderness.components.seconds * 1_000
