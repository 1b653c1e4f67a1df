import Foundation
import SluiceNexmark
import Testing

/// One golden file: events Apache Beam's own generator produced (see Golden/README.md) for a
/// configuration, from a starting event count. The configurations here must stay those of
/// the Java driver that wrote the files.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let config: NexmarkConfig
    /// Beam's `eventsCountSoFar` when the file starts (a generator restored from a checkpoint).
    let start: Int64

    var testDescription: String { name }

    /// The file's JSON lines.
    func lines() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent("\(name).jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static let all: [GoldenCase] = [
        // NexmarkConfiguration.DEFAULT: 100 generators at 10,000 events/s, so 10 ms apart.
        GoldenCase(name: "default", config: NexmarkConfig(), start: 0),
        // Out-of-order groups of 100; no hot auctions, sellers or bidders, so every id is drawn,
        // from few active people and in-flight auctions.
        GoldenCase(name: "out-of-order-cold", config: with {
            $0.outOfOrderGroupSize = 100
            $0.numActivePeople = 20
            $0.numInFlightAuctions = 10
            $0.hotAuctionRatio = 1
            $0.hotSellersRatio = 1
            $0.hotBiddersRatio = 1
        }, start: 0),
        // A square rate (400/s then 100/s, 1 s each, so 500 events per epoch) across more than
        // one epoch; small sizes, so persons get no extra and bids a fixed 2 bytes (delta 0);
        // a split generator's first event id.
        GoldenCase(name: "square-small", config: with {
            $0.rateShape = .square
            $0.firstEventRate = 400
            $0.nextEventRate = 100
            $0.numEventGenerators = 1
            $0.ratePeriodSec = 2
            $0.avgPersonByteSize = 30
            $0.avgAuctionByteSize = 160
            $0.avgBidByteSize = 34
            $0.firstEventId = 7777
        }, start: 0),
        // A sine rate (10,000/s down to 1,000/s), resumed just before its first step change at
        // event 10,000, with out-of-order groups of 9.
        GoldenCase(name: "sine-resumed", config: with {
            $0.rateShape = .sine
            $0.firstEventRate = 10_000
            $0.nextEventRate = 1_000
            $0.numEventGenerators = 1
            $0.ratePeriodSec = 10
            $0.outOfOrderGroupSize = 9
        }, start: 9_850),
        // 110 billion events in (unbounded: numEvents 0), where person and auction choices
        // exceed Java's int and Beam switches to `abs(nextLong() % n)`.
        GoldenCase(name: "huge-ids-resumed", config: with {
            $0.numEvents = 0
            $0.numEventGenerators = 1
            $0.firstEventRate = 1_000_000
            $0.nextEventRate = 1_000_000
            $0.numActivePeople = Int(Int32.max)
            $0.numInFlightAuctions = Int(Int32.max)
        }, start: 110_000_000_000),
        // One event a minute and 2,000 auctions in flight: auction lengths exceed Java's int.
        GoldenCase(name: "slow-long-auctions", config: with {
            $0.rateUnit = .perMinute
            $0.firstEventRate = 1
            $0.nextEventRate = 1
            $0.numEventGenerators = 1
            $0.numInFlightAuctions = 2000
        }, start: 0),
    ]
}

private func with(_ change: (inout NexmarkConfig) -> Void) -> NexmarkConfig {
    var config = NexmarkConfig()
    change(&config)
    return config
}

/// A golden line, read with Foundation (not with Sluice's code under test). Beam's bids have no
/// channel or url.
struct BeamEvent: Decodable {
    struct Person: Decodable {
        var id: Int64, name: String, emailAddress: String, creditCard: String, city: String, state: String
        var dateTime: String, extra: String
    }
    struct Auction: Decodable {
        var id: Int64, itemName: String, description: String, initialBid: Int64, reserve: Int64
        var dateTime: String, expires: String, seller: Int64, category: Int64, extra: String
    }
    struct Bid: Decodable {
        var auction: Int64, bidder: Int64, price: Int64, dateTime: String, extra: String
    }
    var event_type: Int
    var person: Person?
    var auction: Auction?
    var bid: Bid?
}
