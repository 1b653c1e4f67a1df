import Sluice
import SluiceNexmark

/// Nexmark q4, average price for a category: the winning (highest) bid of each auction among the
/// bids made while it was open, averaged per category.
///
/// Flink's SQL joins every bid with its auction (`B.dateTime BETWEEN A.dateTime AND A.expires`,
/// both ends inclusive), takes `MAX(B.price)` per auction, then `AVG` per category. Here auctions
/// and bids meet in one aggregation keyed by auction id (`auction-prices`): it keeps the auction's
/// category and lifetime and the highest price of the bids inside that lifetime; a bid that
/// arrives before its auction waits in the aggregate until the auction comes. Auctions without
/// a bid in their lifetime contribute nothing, as they have no row in Flink's inner join. That
/// table is re-grouped by category (`category-prices`), subtracting an auction's previous winning
/// price and adding its new one, and the average is the sum over the count, divided as integers,
/// as Flink's `AVG` of a `BIGINT` is a `BIGINT`. The per-auction state is stored in a binary
/// layout (`NexmarkQ4AuctionSerde`), not JSON.
///
/// Differences from Flink: the result topic, keyed by category, is an update stream; the latest
/// record per category is the answer. Where Flink retracts a row and adds its replacement, a new
/// winning price here travels as a subtraction then an addition, so the topic also shows the
/// average without that auction between the two. Auctions never expire from the state, as in
/// Flink's unbounded join.
public struct NexmarkQ4: TopologyDefinition {
    public static let applicationID = "nexmark-q4"
    public static let summary = "Nexmark q4: average winning bid per category (an update stream)"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        let events = NexmarkSource.events()
        let auctions: Stream<Int64, NexmarkQ4Input> = events.auctions.map { _, auction in
            (auction.id, NexmarkQ4Input(auction: NexmarkQ4Input.Span(auction)))
        }
        let bids: Stream<Int64, NexmarkQ4Input> = events.bids.map { _, bid in
            (bid.auction, NexmarkQ4Input(bid: NexmarkQ4Input.Price(price: bid.price, at: bid.dateTime.millisecondsSinceEpoch)))
        }
        let winners: Table<Int64, NexmarkQ4Auction> = auctions.merge(bids)
            .repartition(named: "by-auction", key: .int64, value: .json(NexmarkQ4Input.self))
            .groupByKey()
            .aggregate(named: "auction-prices", serde: NexmarkQ4AuctionSerde(), initializer: { NexmarkQ4Auction() }) {
                (_: Int64, input: NexmarkQ4Input, auction: NexmarkQ4Auction) in auction.adding(input)
            }
        let sums: Table<Int64, NexmarkQ4Sum> = winners
            .groupBy(named: "category-prices", key: .int64, value: .json(NexmarkQ4Sum.self)) { (_: Int64, auction: NexmarkQ4Auction) in
                (auction.span?.category ?? -1, NexmarkQ4Sum(auction.final))
            }
            .aggregate(
                named: "category-sums", serde: .json(NexmarkQ4Sum.self), initializer: { NexmarkQ4Sum(nil) },
                adder: { (_: Int64, price: NexmarkQ4Sum, sum: NexmarkQ4Sum) in sum + price },
                subtractor: { (_: Int64, price: NexmarkQ4Sum, sum: NexmarkQ4Sum) in sum - price })
        sums.toStream()
            .filter { _, sum in sum.count > 0 }
            .map { (category: Int64, sum: NexmarkQ4Sum) in (category, NexmarkCategoryPrice(id: category, final: sum.total / sum.count)) }
            .to("nexmark-q4", key: .int64, value: .json())
    }
}

/// What q4's per-auction aggregation reads: an auction's lifetime or a bid, keyed by auction id.
struct NexmarkQ4Input: Codable, Sendable {
    struct Span: Codable, Sendable {
        var category: Int64
        var opens: Int64
        var expires: Int64

        init(category: Int64, opens: Int64, expires: Int64) {
            self.category = category
            self.opens = opens
            self.expires = expires
        }

        init(_ auction: Auction) {
            category = auction.category
            opens = auction.dateTime.millisecondsSinceEpoch
            expires = auction.expires.millisecondsSinceEpoch
        }

        func contains(_ time: Int64) -> Bool { opens <= time && time <= expires }
    }

    struct Price: Codable, Sendable {
        var price: Int64
        var at: Int64
    }

    var auction: Span?
    var bid: Price?

    init(auction: Span) { self.auction = auction }
    init(bid: Price) { self.bid = bid }
}

/// One auction as q4 sees it: its lifetime once known, and its winning price so far.
struct NexmarkQ4Auction: Codable, Sendable {
    var span: NexmarkQ4Input.Span?
    /// The highest price among the bids inside the auction's lifetime; nil while there is none.
    var final: Int64?
    /// Bids that came before their auction: judged when it comes.
    var early: [NexmarkQ4Input.Price] = []

    func adding(_ input: NexmarkQ4Input) -> NexmarkQ4Auction {
        var next = self
        if let span = input.auction {
            next.span = span
            for bid in early { next.bid(bid) }
            next.early = []
        }
        if let bid = input.bid {
            if next.span == nil { next.early.append(bid) } else { next.bid(bid) }
        }
        return next
    }

    private mutating func bid(_ bid: NexmarkQ4Input.Price) {
        guard let span, span.contains(bid.at) else { return }
        final = max(final ?? bid.price, bid.price)
    }
}

/// A category's winning prices: their total and how many; one auction's contribution is one price
/// or nothing.
struct NexmarkQ4Sum: Codable, Sendable {
    var total: Int64
    var count: Int64

    init(total: Int64, count: Int64) {
        self.total = total
        self.count = count
    }

    init(_ final: Int64?) {
        total = final ?? 0
        count = final == nil ? 0 : 1
    }

    static func + (a: Self, b: Self) -> Self { NexmarkQ4Sum(total: a.total + b.total, count: a.count + b.count) }
    static func - (a: Self, b: Self) -> Self { NexmarkQ4Sum(total: a.total - b.total, count: a.count - b.count) }
}
