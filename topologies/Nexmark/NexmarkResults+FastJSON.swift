import Sluice
import SluiceNexmark

// The result rows written once per input record or so, written in one pass rather than through
// `Codable` (the same bytes: `NexmarkResultJSONTests` holds the two together).

extension NexmarkBidRow: FastJSONEncodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("auction", auction)
            row.field("bidder", bidder)
            try row.field("price", price)
            try row.field("dateTime", dateTime)
            row.field("extra", extra)
        }
    }
}

extension NexmarkAuctionPrice: FastJSONEncodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("auction", auction)
            row.field("price", price)
        }
    }
}

extension NexmarkHighestBid: FastJSONEncodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("auction", auction)
            row.field("bidder", bidder)
            row.field("price", price)
            try row.field("dateTime", dateTime)
            row.field("extra", extra)
        }
    }
}

extension NexmarkBidderCount: FastJSONEncodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("bidder", bidder)
            row.field("bid_count", bid_count)
            row.field("starttime", starttime)
            row.field("endtime", endtime)
        }
    }
}

// q5's intermediates cross a repartition topic and its store once per window and auction, and the
// window's best is read and written again for each of them.

extension NexmarkAuctionCount: FastJSONEncodable, FastJSONDecodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("auction", auction)
            row.field("num", num)
        }
    }

    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(auction: try object["auction"].int64(), num: try object["num"].int64())
    }
}

extension NexmarkHotAuctions: FastJSONEncodable, FastJSONDecodable {
    public func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { row throws(JSONError) in
            row.field("starttime", starttime)
            row.field("endtime", endtime)
            row.field("num", num)
            try row.field("auctions") { value throws(JSONError) in
                try value.array { array throws(JSONError) in
                    for auction in auctions { try array.append { $0.int64(auction) } }
                }
            }
        }
    }

    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        var auctions: [Int64] = []
        try object["auctions"].forEachElement { element throws(JSONError) in auctions.append(try element.int64()) }
        self.init(starttime: try object["starttime"].int64(), endtime: try object["endtime"].int64(), num: try object["num"].int64(), auctions: auctions)
    }
}
