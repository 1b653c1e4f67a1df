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
