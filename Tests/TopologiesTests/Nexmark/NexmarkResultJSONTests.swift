import SluiceNexmark
import SluiceTopology
import Testing
@testable import Topologies

/// The result rows written in one pass (`FastJSONEncodable`) give the bytes `Codable` gives.
@Suite struct NexmarkResultJSONTests {
    static let bids: [Bid] = {
        var config = NexmarkConfig()
        config.outOfOrderGroupSize = 50
        return try! NexmarkGenerator(config: config).prefix(3_000).compactMap { event in
            if case .bid(let bid) = event { bid } else { nil }
        }
    }()

    /// Calls the `Encodable` overload, so that `Codable` encodes through the same encoder.
    static func viaCodable<T: Encodable>(_ value: T) throws -> [UInt8] { try FastJSONEncoder().encode(value) }

    static func expectSameBytes<T: FastJSONEncodable & Codable & Sendable>(_ row: T) throws {
        let codable = try viaCodable(row)
        #expect(try FastJSONEncoder().encode(row) == codable)
        var serialized: [UInt8] = []
        _ = try JSONSerde<T>().serialize(row, into: &serialized)
        #expect(serialized == codable)
    }

    @Test func rowsAreWrittenAsCodableWritesThem() throws {
        #expect(Self.bids.count > 2_000)
        for bid in Self.bids {
            // q1's euro prices have fractions; q0's are whole.
            try Self.expectSameBytes(NexmarkBidRow(auction: bid.auction, bidder: bid.bidder, price: 0.908 * Double(bid.price), dateTime: bid.dateTime, extra: bid.extra))
            try Self.expectSameBytes(NexmarkBidRow(auction: bid.auction, bidder: bid.bidder, price: Double(bid.price), dateTime: bid.dateTime, extra: bid.extra))
            try Self.expectSameBytes(NexmarkAuctionPrice(auction: bid.auction, price: bid.price))
            try Self.expectSameBytes(NexmarkHighestBid(auction: bid.auction, bidder: bid.bidder, price: bid.price, dateTime: bid.dateTime, extra: bid.extra))
            try Self.expectSameBytes(NexmarkBidderCount(bidder: bid.bidder, bid_count: bid.price, starttime: bid.auction, endtime: -bid.auction))
        }
        // Escapes (Foundation's `\/` included) and a timestamp with milliseconds.
        let odd = NexmarkBidRow(
            auction: -1, bidder: .max, price: -0.0, dateTime: NexmarkTimestamp(millisecondsSinceEpoch: 1_436_918_400_123),
            extra: "a\"b\\c/d\u{1}\né")
        try Self.expectSameBytes(odd)
        #expect(String(decoding: try FastJSONEncoder().encode(odd), as: UTF8.self).contains(#""dateTime":"2015-07-15 00:00:00.123""#))
    }
}
