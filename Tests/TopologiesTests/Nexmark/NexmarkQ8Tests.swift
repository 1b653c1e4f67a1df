import SluiceNexmark
import SluiceTesting
import Testing
@testable import Topologies

@Suite struct NexmarkQ8Tests {
    @Test func personsWhoSellInTheTenSecondWindowTheyRegisteredIn() throws {
        let q = try NexmarkHarness(NexmarkQ8())
        let out = q.output("nexmark-q8", NexmarkNewUser.self)
        try q.pipe(
            person(1, at: 1_000), auction(100, seller: 1, at: 9_999),  // same window, at its last instant
            person(2, at: 9_000), auction(101, seller: 2, at: 10_000),  // the next window
            auction(102, seller: 4, at: 3_000),  // a seller who registered earlier
            person(3, at: 12_000),  // registers, never sells
            person(6, at: 9_999 + grace))
        #expect(try out.readRecords().isEmpty, "[0, 10 s) closes at 10 s + grace")
        try q.pipe(person(7, at: 10_000 + grace))
        #expect(try out.readKeyValues().map(\.1) == [NexmarkNewUser(id: 1, name: "p1", stime: ts(0))])
        try q.pipe(person(5, at: 15_000), auction(103, seller: 5, at: 16_000), auction(104, seller: 5, at: 17_000), person(9, at: 20_000 + grace))
        #expect(try out.readKeyValues().map(\.1) == [NexmarkNewUser(id: 5, name: "p5", stime: ts(10_000))], "once, though 5 sold twice")
    }

    @Test func anAuctionBeforeTheRegistrationInTheSameWindowCounts() throws {
        let q = try NexmarkHarness(NexmarkQ8(), partitions: 2)
        try q.pipe(auction(200, seller: 11, at: 21_000), person(11, name: "Ann", at: 22_000))
        // Stream time is per task: a later record of the same key moves the task that holds it.
        try q.pipe(auction(201, seller: 11, at: 30_000 + grace))
        #expect(try q.output("nexmark-q8", NexmarkNewUser.self).readKeyValues().map { "\($0.0) \($0.1.name) \($0.1.stime.millisecondsSinceEpoch)" } == [
            "11 Ann 20000"
        ])
    }
}
