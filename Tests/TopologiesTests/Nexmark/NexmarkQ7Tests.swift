import SluiceNexmark
import SluiceTesting
import Testing
@testable import Topologies

@Suite struct NexmarkQ7Tests {
    @Test func eachWindowsHighestBidsIncludingThoseMadeExactlyAtItsEnd() throws {
        let q = try NexmarkHarness(NexmarkQ7())
        let out = q.output("nexmark-q7", NexmarkHighestBid.self)
        try q.pipe(
            bid(1, price: 5, at: 1_000), bid(2, price: 9, bidder: 2, at: 2_000), bid(3, price: 9, bidder: 3, at: 9_999),
            bid(4, price: 9, bidder: 4, at: 10_000),  // opens [10 s, 20 s), and is also at [0, 10 s)'s end with its price
            bid(7, price: 1, at: 10_000 + grace))
        #expect(try out.readRecords().isEmpty, "[0, 10 s] closes when stream time reaches 10.001 s + grace")
        try q.pipe(bid(8, price: 1, at: 10_001 + grace))
        #expect(try out.readKeyValues().map { "\($0.0):\($0.1.auction)@\($0.1.dateTime.millisecondsSinceEpoch)=\($0.1.price)" } == [
            "10000:2@2000=9", "10000:3@9999=9", "10000:4@10000=9",
        ])
        try q.pipe(
            bid(5, price: 7, at: 15_000),
            bid(6, price: 12, at: 20_000),  // at [10 s, 20 s)'s end but above its maximum: only [20 s, 30 s) has it
            bid(9, price: 3, at: 30_001 + grace))
        #expect(try out.readKeyValues().map { "\($0.0):\($0.1.auction)=\($0.1.price)" } == ["20000:4=9", "30000:6=12"])
    }

    @Test func writesWholeRows() throws {
        let q = try NexmarkHarness(NexmarkQ7())
        try q.pipe(bid(1, price: 5, bidder: 42, at: 3_000), bid(2, price: 1, at: 10_001 + grace))
        let rows = try q.output("nexmark-q7", NexmarkHighestBid.self).readValues()
        #expect(rows == [NexmarkHighestBid(auction: 1, bidder: 42, price: 5, dateTime: ts(3_000), extra: "")])
    }

    @Test func windowEndsAreAlignedToTheEpoch() {
        #expect(NexmarkQ7.windowEnd(of: 0) == 10_000)
        #expect(NexmarkQ7.windowEnd(of: 9_999) == 10_000)
        #expect(NexmarkQ7.windowEnd(of: 10_000) == 20_000)
        #expect(NexmarkQ7.windowEnd(of: -1) == 0)
        #expect(NexmarkQ7.windowEnd(of: -10_000) == 0)
    }
}
