import SluiceNexmark

// Result rows of the Nexmark queries, named as the Flink Nexmark suite's SQL names its columns.

/// q0 and q1: a bid, as Flink's `SELECT auction, bidder, price, dateTime, extra FROM bid` writes it.
public struct NexmarkBidRow: Codable, Sendable, Equatable {
    public var auction: Int64
    public var bidder: Int64
    public var price: Double
    public var dateTime: NexmarkTimestamp
    public var extra: String
}

/// q2: an auction and a price.
public struct NexmarkAuctionPrice: Codable, Sendable, Equatable {
    public var auction: Int64
    public var price: Int64
}

/// q5's intermediate: one auction's bid count in one window.
public struct NexmarkAuctionCount: Codable, Sendable, Equatable {
    public var auction: Int64
    public var num: Int64
}

/// q5: the auctions with the most bids in one hopping window (ties all kept).
public struct NexmarkHotAuctions: Codable, Sendable, Equatable {
    public var starttime: Int64
    public var endtime: Int64
    public var num: Int64
    public var auctions: [Int64]
}

/// q11 and q12: a bidder's bids in one session or window.
public struct NexmarkBidderCount: Codable, Sendable, Equatable {
    public var bidder: Int64
    public var bid_count: Int64
    public var starttime: Int64
    public var endtime: Int64
}
