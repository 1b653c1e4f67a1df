import SluiceTopology
import SluiceNexmark
import SluiceTesting
import Testing
@testable import Topologies

@Suite struct NexmarkQ4Tests {
    /// The latest record per category: the answer of q4's update stream.
    private func latest(_ q: NexmarkHarness) throws -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for (category, row) in try q.output("nexmark-q4", NexmarkCategoryPrice.self).readKeyValues() {
            #expect(row.id == category)
            result[category] = row.final
        }
        return result
    }

    @Test func onlyBidsWithinTheAuctionsLifetimeBothEndsIncludedCount() throws {
        let q = try NexmarkHarness(NexmarkQ4())
        try q.pipe(auction(1, seller: 1, category: 10, at: 1_000, expires: 5_000))
        try q.pipe(
            bid(1, price: 500, at: 999),  // before it opens
            bid(1, price: 30, at: 1_000),  // as it opens
            bid(1, price: 40, at: 5_000),  // as it expires
            bid(1, price: 900, at: 5_001))  // after it expired
        #expect(try latest(q) == [10: 40])
    }

    @Test func averagesTheWinningPricesPerCategoryAsIntegers() throws {
        let q = try NexmarkHarness(NexmarkQ4())
        try q.pipe(
            auction(1, seller: 1, category: 10, at: 1_000, expires: 9_000), auction(2, seller: 1, category: 10, at: 1_001, expires: 9_000),
            auction(3, seller: 2, category: 11, at: 1_002, expires: 9_000), auction(4, seller: 2, category: 12, at: 1_003, expires: 2_000))
        try q.pipe(bid(1, price: 40, at: 2_000), bid(2, price: 25, at: 2_001), bid(1, price: 35, at: 2_002), bid(3, price: 7, at: 2_003))
        try q.pipe(bid(4, price: 99, at: 2_004))  // after auction 4 expired: category 12 has no winner
        #expect(try latest(q) == [10: 32, 11: 7], "(40 + 25) / 2 = 32, truncated as Flink's AVG of BIGINT")
        try q.pipe(bid(2, price: 61, at: 3_000))
        #expect(try latest(q) == [10: 50], "auction 2's winning price replaces its old one")
    }

    @Test func bidsProcessedBeforeTheirAuctionWaitForIt() throws {
        let q = try NexmarkHarness(NexmarkQ4(), partitions: 3)
        try q.pipe(bid(5, price: 70, at: 3_000), bid(5, price: 80, at: 9_500), bid(5, price: 60, at: 4_000))
        #expect(try latest(q).isEmpty)
        try q.pipe(auction(5, seller: 1, category: 3, at: 2_000, expires: 9_000))
        #expect(try latest(q) == [3: 70], "80 came after the auction expired")
    }
}

/// q4's binary state layout: what it writes, it reads back; what it cannot read is an error.
@Suite struct NexmarkQ4AuctionSerdeTests {
    private let serde = NexmarkQ4AuctionSerde()

    private func roundTrip(_ auction: NexmarkQ4Auction) throws -> NexmarkQ4Auction {
        var bytes: [UInt8] = []
        #expect(try serde.serialize(auction, into: &bytes))
        return try bytes.withUnsafeBytes { try serde.deserialize($0) }
    }

    @Test func readsBackWhatItWrites() throws {
        var waiting = NexmarkQ4Auction()
        waiting.early = [.init(price: 7, at: -3), .init(price: .max, at: .min)]
        let back = try roundTrip(waiting)
        #expect(back.span == nil && back.final == nil)
        #expect(back.early.map(\.price) == [7, .max] && back.early.map(\.at) == [-3, .min])

        var open = NexmarkQ4Auction()
        open.span = .init(category: 10, opens: 1_000, expires: 5_000)
        open.final = 40
        let reopened = try roundTrip(open)
        #expect(reopened.span?.category == 10 && reopened.span?.opens == 1_000 && reopened.span?.expires == 5_000)
        #expect(reopened.final == 40 && reopened.early.isEmpty)
        #expect(try roundTrip(NexmarkQ4Auction()).span == nil)
    }

    @Test func rejectsBytesItDidNotWrite() throws {
        var open = NexmarkQ4Auction()
        open.span = .init(category: 10, opens: 1_000, expires: 5_000)
        open.early = [.init(price: 1, at: 2)]
        var bytes: [UInt8] = []
        _ = try serde.serialize(open, into: &bytes)
        for cut in [0, 1, 20, bytes.count - 1] {
            let short = Array(bytes.prefix(cut))
            #expect(throws: SerdeError.self) { try short.withUnsafeBytes { try serde.deserialize($0) } }
        }
        #expect(throws: SerdeError.self) { try [UInt8](bytes + [0]).withUnsafeBytes { try serde.deserialize($0) } }
        #expect(throws: SerdeError.self) { try [UInt8]([4, 0, 0, 0, 0]).withUnsafeBytes { try serde.deserialize($0) } }
        #expect(throws: SerdeError.self) { try serde.deserialize(nil) }
    }
}
