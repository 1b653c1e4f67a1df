import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// `emitStrategy(.onWindowClose)` on session windows: each session's final result once, when its
/// end plus gap plus grace falls behind stream time; merged sessions emit nothing of their own.
@Suite("Session aggregations emitting on window close")
struct EmitOnSessionCloseTests {
    let words = Stream("words", key: .string, value: .string)

    func labels(_ records: [TestRecord<Windowed<String>, Int64>]) -> [String] {
        records.map { "\(windowLabel($0.key))=\($0.value)" }
    }

    @Test func emitsEachSessionOnceWhenItClosesAndNothingOfTheSessionsItMerged() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.session(gap: .seconds(10), grace: .seconds(5))).emitStrategy(.onWindowClose)
                .count(named: "sessions").toStream().to("final", key: .windowed(.string), value: .int64)
        ])
        let out = d.output("final", key: .windowed(.string), value: .int64)
        try d.words.pipe(key: "a", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "a", value: "x", timestamp: 5_000)
        try d.words.pipe(key: "b", value: "x", timestamp: 3_000)
        try d.words.pipe(key: "m", value: "x", timestamp: 20_000)  // 3 + 10 + 5 < 20: closes b's session
        let first = try out.readRecords()
        #expect(labels(first) == ["b@3000-3000=1"] && first.map(\.timestamp) == [3_000], "a result carries its session's end")
        try d.words.pipe(key: "m", value: "x", timestamp: 31_000)  // a session of its own; closes a's
        #expect(labels(try out.readRecords()) == ["a@1000-5000=2"])
        try d.words.pipe(key: "m", value: "x", timestamp: 25_000)  // joins m's two sessions into one
        try d.words.pipe(key: "z", value: "too late", timestamp: 2_000)
        #expect(try out.readRecords().isEmpty && d.deadLetters.count == 1)
        try d.words.pipe(key: "n", value: "x", timestamp: 60_000)
        let merged = try out.readRecords()
        #expect(labels(merged) == ["m@20000-31000=3"], "the merged session once; the two it replaced never")
        #expect(merged.map(\.timestamp) == [31_000])
        let counts = try #require(d.counts(of: "sessions"))
        #expect(counts.received == 8 && counts.forwarded == 7 && counts.deadLettered == 1 && counts.emitted == 3 && counts.reconciles)
    }

    /// Records in order (per partition) through a suppressed session count and one emitting on
    /// close, over two partitions with commit steps between: the same final results. In order, no
    /// record reaches back to a closed session, where the two differ (see `SessionAggregation`).
    @Test func agreesWithSuppressionForRecordsInOrder() throws {
        let grouped = words.groupByKey().windowedBy(.session(gap: .seconds(5), grace: .seconds(1)))
        let d = try statefulDriver(partitions: 2, [
            grouped.count(named: "sessions").suppress(.untilWindowCloses, named: "held").toStream()
                .to("suppressed", key: .windowed(.string), value: .int64),
            grouped.emitStrategy(.onWindowClose).count(named: "final-sessions").toStream()
                .to("final", key: .windowed(.string), value: .int64),
        ])
        var random = SeededRandom(seed: 11)
        var time: Int64 = 0
        for step in 0..<3_000 {
            time += Int64(random.next(random.next(40) == 0 ? 20_000 : 1_500))
            try d.words.pipe(key: "key-\(random.next(10))", value: "x", timestamp: time)
            if step % 97 == 0 { try d.commit() }
        }
        let suppressed = try d.windowedResults("suppressed")
        let final = try d.windowedResults("final")
        #expect(suppressed.count > 300, "sessions closed: \(suppressed.count)")
        #expect(final == suppressed)
        let emitting = try #require(d.counts(of: "final-sessions"))
        #expect(emitting.emitted == final.count && emitting.deadLettered == 0 && emitting.reconciles)
    }

    /// Records out of order, some late: every record in time is in exactly one emitted session.
    /// (Sessions of a key may overlap: a record that reaches back past a session already emitted
    /// joins the sessions still open, not that one; see `SessionAggregation`.)
    @Test func everyRecordInTimeIsInExactlyOneEmittedSessionOutOfOrderToo() throws {
        let d = try statefulDriver(partitions: 2, [
            words.groupByKey().windowedBy(.session(gap: .seconds(5), grace: .seconds(1))).emitStrategy(.onWindowClose)
                .count(named: "sessions").toStream().to("final", key: .windowed(.string), value: .int64)
        ])
        var random = SeededRandom(seed: 5)
        var time: Int64 = 100_000
        for step in 0..<3_000 {
            time += Int64(random.next(random.next(40) == 0 ? 20_000 : 1_500))
            let jitter = Int64(random.next(12_000))  // up to 12 s back: some in time, some late
            try d.words.pipe(key: "key-\(random.next(10))", value: "x", timestamp: time - jitter)
            if step % 97 == 0 { try d.commit() }
        }
        // Far ahead on both partitions: every session so far closes.
        for partition: Int32 in [0, 1] { try d.words.pipe(key: "flush", value: "x", timestamp: time + 1_000_000, partition: partition) }
        let emitted = try d.output("final", key: .windowed(.string), value: .int64).readRecords()
        let counts = try #require(d.counts(of: "sessions"))
        #expect(counts.deadLettered > 0 && emitted.count > 300, "late: \(counts.deadLettered), sessions: \(emitted.count)")
        #expect(emitted.reduce(0) { $0 + Int($1.value) } == counts.received - counts.deadLettered - 2, "the two flush records stay open")
        #expect(Set(emitted.map { "\($0.partition) \(windowLabel($0.key))" }).count == emitted.count, "no session twice")
        #expect(counts.emitted == emitted.count && counts.reconciles)
    }

    /// A task restored from the changelog emits the sessions the old task had not emitted, and none
    /// it had: an emitted session is deleted from the changelog.
    @Test func aRestoredTaskEmitsWhatWasNotEmittedAndNothingTwice() throws {
        let plan = try TopologyPlan(applicationID: "agg", pipelines: [
            words.groupByKey().windowedBy(.session(gap: .seconds(10))).emitStrategy(.onWindowClose).count(named: "sessions")
                .toStream().to("final", key: .windowed(.string), value: .int64)
        ])
        let id = TaskID(subtopology: 0, partition: 0)
        let before = SentRecords()
        let first = try StreamTask(id: id, plan: plan, collector: before, stores: { _ in InMemoryBytesStore() }, wallClock: { 0 })
        first.feedWord("a", at: 1_000)
        first.feedWord("b", at: 12_000)  // closes a's session before any commit
        try first.commitState(timestamp: 0)
        first.feedWord("b", at: 15_000)
        first.feedWord("c", at: 20_000)
        try first.commitState(timestamp: 0)
        first.feedWord("d", at: 40_000)  // closes b's and c's sessions, both stored by now
        first.feedWord("d", at: 45_000)
        first.feedWord("b", at: 46_000)  // a new session of b, ending after d's though b sorts first
        try first.commitState(timestamp: 0)
        #expect(try before.windowedCounts(to: "final") == ["a@1000-1000=1", "b@12000-15000=2", "c@20000-20000=1"])

        nonisolated(unsafe) let restored = try before.restoredStore(from: "agg-sessions-changelog")
        #expect(restored.count == 2, "only b's and d's open sessions: \(restored.count)")
        let after = SentRecords()
        let second = try StreamTask(id: id, plan: plan, collector: after, stores: { _ in restored }, wallClock: { 0 })
        second.feedWord("e", at: 56_000)  // closes d's session, not yet b's
        #expect(try after.windowedCounts(to: "final") == ["d@40000-45000=2"], "restored sessions close by end, not in key order")
        second.feedWord("b", at: 50_000)
        second.feedWord("f", at: 70_000)  // closes b's and e's sessions
        #expect(
            try after.windowedCounts(to: "final") == ["d@40000-45000=2", "b@46000-50000=2", "e@56000-56000=1"],
            "b's session goes on where it was, and nothing is emitted again")
    }

    @Test func suppressingItAgainIsAMistakeNamedAtBuildTime() throws {
        let counted = words.groupByKey().windowedBy(.session(gap: .seconds(10))).emitStrategy(.onWindowClose).count(named: "sessions")
        let twice = #expect(throws: TopologyError.self) {
            try TopologyPlan(applicationID: "agg", pipelines: [
                counted.suppress(.untilWindowCloses, named: "held").toStream().to("out", key: .windowed(.string), value: .int64)
            ])
        }
        #expect(twice?.problems.contains { $0.contains("held") && $0.contains("already carries each window's final result") } == true, "\(twice?.problems ?? [])")
    }
}
