import SluiceNexmark
import SluiceTesting
import Testing
@testable import Topologies

@Suite struct NexmarkQ3Tests {
    @Test func category10AuctionsJoinTheirSellersInOregonIdahoOrCalifornia() throws {
        let q = try NexmarkHarness(NexmarkQ3())
        try q.pipe(
            person(1, state: "OR", at: 1_000), person(2, state: "ID", at: 1_001), person(3, state: "CA", at: 1_002),
            person(4, state: "WA", at: 1_003), person(5, state: "or", at: 1_004))
        try q.pipe(
            auction(10, seller: 1, at: 2_000), auction(11, seller: 2, at: 2_001), auction(12, seller: 3, category: 9, at: 2_002),
            auction(13, seller: 4, at: 2_003), auction(14, seller: 5, at: 2_004), auction(15, seller: 3, at: 2_005),
            auction(16, seller: 1, category: 11, at: 2_006), auction(17, seller: 1, at: 2_007))
        let rows = try q.output("nexmark-q3", NexmarkLocalItem.self).readKeyValues()
        #expect(rows.map(\.0) == [10, 11, 15, 17], "category 9 and 11, Washington and a lower-case state are left out")
        #expect(rows.map(\.1) == [
            NexmarkLocalItem(name: "p1", city: "city1", state: "OR", id: 10),
            NexmarkLocalItem(name: "p2", city: "city2", state: "ID", id: 11),
            NexmarkLocalItem(name: "p3", city: "city3", state: "CA", id: 15),
            NexmarkLocalItem(name: "p1", city: "city1", state: "OR", id: 17),
        ])
    }

    @Test func anAuctionProcessedBeforeItsSellerJoinsWhenTheSellerComes() throws {
        let q = try NexmarkHarness(NexmarkQ3(), partitions: 4)
        let out = q.output("nexmark-q3", NexmarkLocalItem.self)
        try q.pipe(auction(20, seller: 7, at: 5_000), auction(21, seller: 7, at: 5_001), auction(22, seller: 8, at: 5_002))
        #expect(try out.readRecords().isEmpty, "no seller yet")
        try q.pipe(person(7, state: "CA", at: 4_000), person(8, state: "NV", at: 4_001))
        let rows = try out.readKeyValues()
        #expect(rows.map(\.0).sorted() == [20, 21], "both of seller 7's auctions, none of Nevada's")
        #expect(rows.allSatisfy { $0.1.name == "p7" && $0.1.state == "CA" })
        try q.pipe(auction(23, seller: 7, at: 6_000))
        #expect(try out.readKeyValues().map(\.0) == [23], "later auctions join at once, and earlier ones are not written again")
    }
}
