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

    static func read<T: Codable & Sendable>(_ type: T.Type, _ bytes: [UInt8], codableOnly: Bool = false) throws -> T {
        try bytes.withUnsafeBytes { try JSONSerde<T>(codableOnly: codableOnly).deserialize($0) }
    }

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
            try Self.expectSameBytes(NexmarkAuctionCount(auction: bid.auction, num: bid.price))
        }
        for auctions: [Int64] in [[], [7], [3, -1, .max, .min]] {
            try Self.expectSameBytes(NexmarkHotAuctions(starttime: 1_436_918_400_000, endtime: 1_436_918_410_000, num: 42, auctions: auctions))
        }
        // Escapes (Foundation's `\/` included) and a timestamp with milliseconds.
        let odd = NexmarkBidRow(
            auction: -1, bidder: .max, price: -0.0, dateTime: NexmarkTimestamp(millisecondsSinceEpoch: 1_436_918_400_123),
            extra: "a\"b\\c/d\u{1}\né")
        try Self.expectSameBytes(odd)
        #expect(String(decoding: try FastJSONEncoder().encode(odd), as: UTF8.self).contains(#""dateTime":"2015-07-15 00:00:00.123""#))
    }

    /// q5's intermediates read themselves back as `Codable` reads them, and refuse what it refuses.
    @Test func intermediatesAreReadAsCodableReadsThem() throws {
        let rows = [
            NexmarkHotAuctions(starttime: 0, endtime: 10_000, num: 0, auctions: []),
            NexmarkHotAuctions(starttime: 2_000, endtime: 12_000, num: 3, auctions: [1_000, 1_007, -5]),
        ]
        for row in rows {
            let bytes = try Self.viaCodable(row)
            #expect(try Self.read(NexmarkHotAuctions.self, bytes) == row)
            #expect(try Self.read(NexmarkHotAuctions.self, bytes, codableOnly: true) == row)
        }
        let count = NexmarkAuctionCount(auction: 1_001, num: 17)
        #expect(try Self.read(NexmarkAuctionCount.self, try Self.viaCodable(count)) == count)
        // Members in another order, and whitespace, as another writer may send them.
        let reordered = Array(#"{ "auctions": [9, 8], "num": 2, "endtime": 10000, "starttime": 0 }"#.utf8)
        #expect(try Self.read(NexmarkHotAuctions.self, reordered) == NexmarkHotAuctions(starttime: 0, endtime: 10_000, num: 2, auctions: [9, 8]))
        for bad in [#"{"starttime":0,"endtime":1,"num":1}"#, #"{"starttime":0,"endtime":1,"num":1,"auctions":["x"]}"#, #"{"auction":1}"#] {
            let bytes = Array(bad.utf8)
            #expect(throws: (any Error).self) { try Self.read(NexmarkHotAuctions.self, bytes, codableOnly: true) }
            #expect(throws: (any Error).self) { try Self.read(NexmarkHotAuctions.self, bytes) }
        }
        #expect(throws: (any Error).self) { try Self.read(NexmarkAuctionCount.self, Array(#"{"auction":1}"#.utf8)) }
    }
}
