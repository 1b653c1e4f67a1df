import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// Windowed stream-stream joins at their edges, against Kafka Streams' documented semantics
/// (`JoinWindows`: a left record at t joins right records in [t - before, t + after], inclusive).
@Suite("Stream-stream joins")
struct StreamStreamJoinTests {
    let left = Stream("left", key: .string, value: .string)
    let right = Stream("right", key: .string, value: .string)

    @Test func recordsAtExactlyTheWindowBoundsJoinAndOneMillisecondOutsideDoNot() throws {
        let windows = JoinWindows(before: 5, after: 20, grace: 1_000)
        let d = try joinDriver([left.join(right, windows: windows, named: "j") { pair($0, $1) }.to("out")])
        try d.strings("left").pipe(key: "k", value: "L", timestamp: 100)
        for t in [94, 95, 120, 121] { try d.strings("right").pipe(key: "k", value: "r\(t)", timestamp: Int64(t)) }
        #expect(try d.joined() == ["k=L+r95@100", "k=L+r120@120"], "right records at t - before and t + after join; a result carries the later time")
        // From the right side the window is mirrored: a right record at t' joins lefts in [t' - after, t' + before].
        try d.strings("right").pipe(key: "m", value: "R", timestamp: 200)
        for t in [179, 180, 205, 206] { try d.strings("left").pipe(key: "m", value: "l\(t)", timestamp: Int64(t)) }
        #expect(try d.joined() == ["m=l180+R@200", "m=l205+R@205"])
        #expect(try d.joined().isEmpty)
    }

    @Test func outOfOrderRecordsWithinGraceJoinAndLaterOnesAreDeadLetteredAsLate() throws {
        let d = try joinDriver([
            left.join(right, windows: .timeDifference(.milliseconds(10), grace: .milliseconds(5)), named: "j") { pair($0, $1) }.to("out")
        ])
        try d.strings("left").pipe(key: "a", value: "L190", timestamp: 190)
        try d.strings("right").pipe(key: "b", value: "R200", timestamp: 200)  // stream time 200
        try d.strings("right").pipe(key: "a", value: "R185", timestamp: 185)  // its window ends 195, closes after 200: in time
        #expect(try d.joined() == ["a=L190+R185@190"])
        try d.strings("left").pipe(key: "a", value: "L184", timestamp: 184)  // 184 + 10 + 5 = 199 < 200: late
        #expect(try d.joined().isEmpty)
        let dead = d.deadLetters
        try #require(dead.count == 1)
        #expect(dead[0].headers.string("sluice.error")?.hasPrefix("late:") == true)
        #expect(String(decoding: dead[0].value ?? [], as: UTF8.self) == "L184")
        let c = try #require(d.counts(of: "j"))
        #expect(c.received == 4 && c.deadLettered == 1 && c.forwarded == 1 && c.filtered == 2 && c.reconciles)
    }

    @Test func aLeftJoinEmitsAnUnmatchedRecordOnlyOnceItsWindowHasClosed() throws {
        let d = try joinDriver([
            left.leftJoin(right, windows: .timeDifference(.milliseconds(10)), named: "j") { pair($0, $1) }.to("out")
        ])
        try d.strings("left").pipe(key: "a", value: "A", timestamp: 100)
        try d.strings("right").pipe(key: "other", value: "x", timestamp: 105)
        try d.strings("left").pipe(key: "c", value: "C", timestamp: 110)  // stream time 110 = 100 + after: still open
        #expect(try d.joined().isEmpty, "nothing is emitted while a partner may still come")
        try d.strings("right").pipe(key: "a", value: "late partner", timestamp: 110)  // joins: the window is still open
        #expect(try d.joined() == ["a=A+late partner@110"])
        try d.strings("left").pipe(key: "e", value: "E", timestamp: 121)  // closes the windows of 100 and 110
        #expect(try d.joined() == ["c=C+-@110"], "a alone is never emitted: it found its partner; c is, with its own time")
        #expect(d.counts(of: "j")?.emitted == 2)
    }

    @Test func anOuterJoinEmitsUnmatchedRecordsOfBothSidesInTimeOrderWhenTheirWindowsClose() throws {
        let windows = JoinWindows(before: 0, after: 10, grace: 2)
        let d = try joinDriver([left.outerJoin(right, windows: windows, named: "j") { pair($0, $1) }.to("out")])
        try d.strings("right").pipe(key: "r", value: "R", timestamp: 100)  // a right record at 100 joins lefts in [90, 100]
        try d.strings("left").pipe(key: "l", value: "L", timestamp: 101)   // a left record at 101 joins rights in [101, 111]
        try d.strings("left").pipe(key: "x", value: "X", timestamp: 102)
        #expect(try d.joined().isEmpty)
        // R's window closes after 100 + 0 + 2, L's after 101 + 10 + 2.
        try d.strings("left").pipe(key: "x", value: "X2", timestamp: 103)
        #expect(try d.joined() == ["r=-+R@100"])
        try d.strings("right").pipe(key: "y", value: "Y", timestamp: 114)
        #expect(try d.joined() == ["l=L+-@101"], "x's windows stay open until stream time passes 114 and 115")
        try d.strings("left").pipe(key: "z", value: "Z", timestamp: 116)
        #expect(try d.joined() == ["x=X+-@102", "x=X2+-@103"])
    }

    @Test func aSideWhoseKeyChangedIsRepartitionedBeforeTheJoin() throws {
        let rekeyed = left.selectKey { _, v in String(v.prefix(1)) }
        let d = try joinDriver(
            partitions: ["left": 4, "right": 4],
            [rekeyed.join(right, windows: .timeDifference(.seconds(1)), named: "j") { pair($0, $1) }.to("out")])
        #expect(d.plan.internalTopics.map(\.name) == ["joins-j-left-repartition"])
        #expect(d.plan.copartitionGroups.map(\.topics) == [["joins-j-left-repartition", "right"]])
        for (i, v) in ["apple", "avocado", "banana"].enumerated() { try d.strings("left").pipe(key: "id\(i)", value: v, timestamp: 10) }
        try d.strings("right").pipe(key: "a", value: "A", timestamp: 20)
        try d.strings("right").pipe(key: "b", value: "B", timestamp: 20)
        #expect(try d.joined().sorted() == ["a=apple+A@20", "a=avocado+A@20", "b=banana+B@20"])
    }

    @Test func expiredRecordsLeaveTheStoresAtTheCommitStep() throws {
        let d = try joinDriver([left.join(right, windows: .timeDifference(.milliseconds(10)), named: "j") { pair($0, $1) }.to("out")])
        try d.strings("left").pipe(key: "k", value: "old", timestamp: 100)
        try d.strings("left").pipe(key: "k", value: "new", timestamp: 1_000)
        let store = try #require(d.stores(named: "j-left-store").values.first)
        #expect(store.pendingChanges == 4, "two entries and their time-index keys")
        try d.commit()
        try d.strings("left").pipe(key: "k", value: "x", timestamp: 1_000)
        try d.commit()
        let changelog = try d.output("joins-j-left-store-changelog", key: .bytes, value: .bytes.optional).readRecords()
        #expect(changelog.contains { $0.value == nil }, "the record at 100 expired (retention 20 behind 1000) and was deleted")
    }
}
