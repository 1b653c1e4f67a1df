import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// `emitStrategy(.onWindowClose)`: each window's final result once, when stream time closes it,
/// as `suppress(.untilWindowCloses)` gives, read from the aggregation's own store.
@Suite("Windowed aggregations emitting on window close")
struct EmitOnWindowCloseTests {
    let words = Stream("words", key: .string, value: .string)

    func finalCounts(_ windows: TimeWindows) throws -> TopologyTestDriver {
        try statefulDriver([
            words.groupByKey().windowedBy(windows).emitStrategy(.onWindowClose).count(named: "counts").toStream()
                .to("final", key: .windowed(.string), value: .int64)
        ])
    }

    func labels(_ records: [TestRecord<Windowed<String>, Int64>]) -> [String] {
        records.map { "\(windowLabel($0.key))=\($0.value)" }
    }

    @Test func emitsEachWindowOnceWhenItClosesEvenForSilentKeys() throws {
        let d = try finalCounts(.tumbling(.seconds(10), grace: .seconds(2)))
        let out = d.output("final", key: .windowed(.string), value: .int64)
        try d.words.pipe(key: "b", value: "x", timestamp: 3_000)
        try d.words.pipe(key: "a", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "a", value: "x", timestamp: 5_000)
        try d.words.pipe(key: "c", value: "x", timestamp: 11_999)
        try d.words.pipe(key: "a", value: "late but within grace", timestamp: 9_000)
        #expect(try out.readRecords().isEmpty, "nothing before [0,10s) closes at 12s")
        try d.words.pipe(key: "c", value: "x", timestamp: 12_000)
        let released = try out.readRecords()
        #expect(labels(released) == ["a@0-10000=3", "b@0-10000=1"], "in key order; a and b fell silent")
        #expect(released.map(\.timestamp) == [9_000, 3_000], "a result carries its newest record's time")
        try d.words.pipe(key: "c", value: "too late", timestamp: 9_999)
        #expect(d.deadLetters.count == 1)
        try d.words.pipe(key: "c", value: "x", timestamp: 30_000)
        #expect(labels(try out.readRecords()) == ["c@10000-20000=2"])
        let counts = try #require(d.counts(of: "counts"))
        #expect(counts.received == 8 && counts.forwarded == 7 && counts.deadLettered == 1 && counts.emitted == 3 && counts.reconciles)
    }

    @Test func hoppingWindowsCloseOneAfterAnother() throws {
        let d = try finalCounts(.hopping(.seconds(10), advance: .seconds(5)))
        let out = d.output("final", key: .windowed(.string), value: .int64)
        try d.words.pipe(key: "k", value: "x", timestamp: 7_000)  // [0,10s) and [5s,15s)
        try d.words.pipe(key: "k", value: "x", timestamp: 12_000)  // [5s,15s) and [10s,20s); closes [0,10s)
        #expect(labels(try out.readRecords()) == ["k@0-10000=1"])
        try d.words.pipe(key: "j", value: "x", timestamp: 21_000)  // closes [5s,15s) and [10s,20s)
        #expect(labels(try out.readRecords()) == ["k@5000-15000=2", "k@10000-20000=1"])
    }

    /// The same records, out of order and late, through a suppressed count and a count emitting on
    /// close, over two partitions and with commit steps between: the same final results.
    @Test(arguments: [TimeWindows.tumbling(.seconds(10), grace: .seconds(3)), .hopping(.seconds(10), advance: .seconds(4), grace: .seconds(1))])
    func agreesWithSuppressionUntilWindowsClose(_ windows: TimeWindows) throws {
        let grouped = words.groupByKey().windowedBy(windows)
        let d = try statefulDriver(partitions: 2, [
            grouped.count(named: "counts").suppress(.untilWindowCloses, named: "held").toStream()
                .to("suppressed", key: .windowed(.string), value: .int64),
            grouped.emitStrategy(.onWindowClose).count(named: "final-counts").toStream()
                .to("final", key: .windowed(.string), value: .int64),
        ])
        var random = SeededRandom(seed: 7)
        func next(_ n: Int) -> Int { random.next(n) }
        var time: Int64 = 0
        for step in 0..<2_000 {
            time += Int64(next(400))
            let jitter = Int64(next(15_000))  // up to 15 s out of order: some within grace, some late
            try d.words.pipe(key: "key-\(next(12))", value: "x", timestamp: max(0, time - jitter))
            if step % 97 == 0 { try d.commit() }
        }
        let suppressed = try d.windowedResults("suppressed")
        let final = try d.windowedResults("final")
        #expect(suppressed.count > 300, "windows closed: \(suppressed.count)")
        #expect(final == suppressed)
        let held = try #require(d.counts(of: "counts"))
        let emitting = try #require(d.counts(of: "final-counts"))
        #expect(held.deadLettered > 0 && emitting.deadLettered == held.deadLettered, "late: \(held.deadLettered)")
        #expect(emitting.emitted == final.count && emitting.reconciles)
    }

    @Test func aWindowClosedBetweenTwoCommitsNeverReachesTheChangelogAndOneClosedLaterIsDeleted() throws {
        let d = try finalCounts(.tumbling(.seconds(10)))
        let changelog = d.output("agg-counts-changelog", key: .bytes, value: .bytes.optional)
        let out = d.output("final", key: .windowed(.string), value: .int64)
        try d.words.pipe(key: "a", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "b", value: "x", timestamp: 15_000)  // closes [0,10s)
        #expect(labels(try out.readRecords()) == ["a@0-10000=1"])
        try d.commit()
        let first = try changelog.readRecords()
        #expect(first.count == 1 && first.allSatisfy { $0.value != nil }, "only b's open window: \(first.count)")
        try d.words.pipe(key: "c", value: "x", timestamp: 25_000)  // closes [10s,20s)
        #expect(labels(try out.readRecords()) == ["b@10000-20000=1"])
        try d.commit()
        let second = try changelog.readRecords()
        #expect(second.filter { $0.value == nil }.count == 1, "b's stored window is deleted")
        #expect(second.filter { $0.value != nil }.count == 1, "c's open window is stored")
    }

    /// A task restored from the changelog (after a crash or on a new owner) emits the windows the
    /// old task had not emitted, and none it had: a window is deleted from the changelog as it is
    /// emitted, so the restored store holds only the windows still to come.
    @Test func aRestoredTaskEmitsWhatWasNotEmittedAndNothingTwice() throws {
        let plan = try TopologyPlan(applicationID: "agg", pipelines: [
            words.groupByKey().windowedBy(.tumbling(.seconds(10))).emitStrategy(.onWindowClose).count(named: "counts").toStream()
                .to("final", key: .windowed(.string), value: .int64)
        ])
        let id = TaskID(subtopology: 0, partition: 0)
        let before = SentRecords()
        let first = try StreamTask(id: id, plan: plan, collector: before, stores: { _ in InMemoryBytesStore() }, wallClock: { 0 })
        first.feedWord("a", at: 1_000)
        first.feedWord("b", at: 12_000)  // closes a's [0,10s) before any commit
        try first.commitState(timestamp: 0)
        first.feedWord("b", at: 13_000)
        first.feedWord("c", at: 18_000)
        try first.commitState(timestamp: 0)
        first.feedWord("d", at: 25_000)  // closes b's and c's [10s,20s), both stored by now
        try first.commitState(timestamp: 0)
        #expect(try before.windowedCounts(to: "final") == ["a@0-10000=1", "b@10000-20000=2", "c@10000-20000=1"])

        nonisolated(unsafe) let restored = try before.restoredStore(from: "agg-counts-changelog")
        #expect(restored.count == 1, "only d's open window: \(restored.count)")
        let after = SentRecords()
        let second = try StreamTask(id: id, plan: plan, collector: after, stores: { _ in restored }, wallClock: { 0 })
        second.feedWord("d", at: 29_000)
        second.feedWord("e", at: 41_000)  // closes [20s,30s)
        #expect(try after.windowedCounts(to: "final") == ["d@20000-30000=2"], "d's window goes on where it was, and nothing is emitted again")
    }

    @Test func suppressingItAgainOrUsingSlidingWindowsIsAMistakeNamedAtBuildTime() throws {
        let counted = words.groupByKey().windowedBy(.tumbling(.seconds(10))).emitStrategy(.onWindowClose).count(named: "counts")
        let twice = #expect(throws: TopologyError.self) {
            try TopologyPlan(applicationID: "agg", pipelines: [
                counted.suppress(.untilWindowCloses, named: "held").toStream().to("out", key: .windowed(.string), value: .int64)
            ])
        }
        #expect(twice?.problems.contains { $0.contains("held") && $0.contains("already carries each window's final result") } == true, "\(twice?.problems ?? [])")
        let sliding = #expect(throws: TopologyError.self) {
            try TopologyPlan(applicationID: "agg", pipelines: [
                words.groupByKey().windowedBy(.sliding(.seconds(10))).emitStrategy(.onWindowClose).count(named: "slide")
                    .toStream().to("out", key: .windowed(.string), value: .int64)
            ])
        }
        #expect(sliding?.problems.contains { $0.contains("slide") && $0.contains("tumbling or hopping") } == true, "\(sliding?.problems ?? [])")
    }
}
