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

/// q3: a seller in Oregon, Idaho or California and one of their category-10 auctions
/// (Flink's `P.name, P.city, P.state, A.id`).
public struct NexmarkLocalItem: Codable, Sendable, Equatable {
    public var name: String
    public var city: String
    public var state: String
    public var id: Int64
}

/// q4: a category (`id`) and the average winning price of its auctions (`final`), as Flink's sink
/// table `nexmark_q4 (id BIGINT, final BIGINT)` names them.
public struct NexmarkCategoryPrice: Codable, Sendable, Equatable {
    public var id: Int64
    public var final: Int64
}

/// q7: a bid with the highest price of its 10-second window, as Flink's `nexmark_q7` writes it.
public struct NexmarkHighestBid: Codable, Sendable, Equatable {
    public var auction: Int64
    public var bidder: Int64
    public var price: Int64
    public var dateTime: NexmarkTimestamp
    public var extra: String
}

/// q8: a person who registered and opened an auction in the same 10-second window, and the
/// window's start, as Flink's sink table `nexmark_q8 (id, name, stime)` names them.
public struct NexmarkNewUser: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var stime: NexmarkTimestamp
}
