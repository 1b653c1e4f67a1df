import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// Each window type at its edges, against Kafka Streams' documented semantics.
@Suite("Windows at their edges")
struct WindowTests {
    let words = Stream("words", key: .string, value: .string)

    func counting(_ windows: TimeWindows) throws -> TopologyTestDriver {
        try statefulDriver([
            words.groupByKey().windowedBy(windows).count(named: "counts").toStream()
                .to("counts", key: .windowed(.string), value: .int64)
        ])
    }

    @Test func tumblingWindowsIncludeTheirStartAndExcludeTheirEnd() throws {
        let d = try counting(.tumbling(.seconds(10)))
        for t in [0, 9_999, 10_000, 19_999, 20_000] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        #expect(try d.latestWindowCounts("counts") == ["k@0-10000": 2, "k@10000-20000": 2, "k@20000-30000": 1])
    }

    @Test func hoppingWindowsPutARecordInEveryWindowThatCoversIt() throws {
        let d = try counting(.hopping(.seconds(10), advance: .seconds(5)))
        try d.words.pipe(key: "k", value: "x", timestamp: 7_000)
        try d.words.pipe(key: "k", value: "x", timestamp: 12_000)
        #expect(try d.latestWindowCounts("counts") == ["k@0-10000": 1, "k@5000-15000": 2, "k@10000-20000": 1])
    }

    @Test func outOfOrderRecordsWithinGraceCountAndLaterOnesAreDeadLettered() throws {
        let d = try counting(.tumbling(.seconds(10), grace: .seconds(2)))
        try d.words.pipe(key: "k", value: "x", timestamp: 5_000)
        try d.words.pipe(key: "k", value: "x", timestamp: 11_999)   // stream time 11999: [0,10000) closes at 12000
        try d.words.pipe(key: "k", value: "late but within grace", timestamp: 9_000)
        try d.words.pipe(key: "other", value: "x", timestamp: 12_000)  // stream time reaches end + grace
        try d.words.pipe(key: "k", value: "too late", timestamp: 9_500)
        #expect(try d.latestWindowCounts("counts") == ["k@0-10000": 2, "k@10000-20000": 1, "other@10000-20000": 1])
        let dead = d.deadLetters
        try #require(dead.count == 1)
        #expect(String(decoding: dead[0].value ?? [], as: UTF8.self) == "too late")
        #expect(dead[0].headers.string("sluice.error")?.hasPrefix("late:") == true)
        let c = try #require(d.counts(of: "counts"))
        #expect(c.received == 5 && c.deadLettered == 1 && c.reconciles)
    }

    @Test func slidingWindowsHoldRecordsWithinTheTimeDifference() throws {
        // Records at 10, 15, then 12 (out of order), with a 10 ms time difference. By hand: each window
        // [s, s+10] with both ends inclusive, and only windows that hold records exist.
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.sliding(.milliseconds(10), grace: .seconds(1))).count(named: "sliding")
                .toStream().to("counts", key: .windowed(.string), value: .int64)
        ])
        for t in [10, 15, 12] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        #expect(
            try d.latestWindowCounts("counts") == [
                "k@0-10": 1,  // {10}
                "k@5-15": 3,  // {10, 12, 15}
                "k@11-21": 2,  // {12, 15}: 10's right window
                "k@2-12": 2,  // {10, 12}: 12's left window
                "k@13-23": 1,  // {15}: 12's right window
            ])
    }

    @Test func sessionsMergeWhenARecordBridgesThemAndMergedSessionsAreDeleted() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.session(gap: .milliseconds(5))).count(named: "sessions")
                .toChangeStream().to("sessions", key: .windowed(.string), value: .int64.optional)
        ])
        for t in [0, 3, 10] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        _ = try d.output("sessions", key: .windowed(.string), value: .int64.optional).readRecords()
        try d.words.pipe(key: "k", value: "bridge", timestamp: 6)
        let changes = try d.output("sessions", key: .windowed(.string), value: .int64.optional).readRecords()
        #expect(changes.map { "\(windowLabel($0.key))=\($0.value.map(String.init) ?? "deleted")" } == [
            "k@0-3=deleted", "k@10-10=deleted", "k@0-10=4",
        ])
        let stored = try #require(d.stores(named: "sessions").values.first)
        #expect(try stored.sessions(key: .string, value: .int64).map { "\(windowLabel($0.key))=\($0.value)" } == ["k@0-10=4"])
    }

    @Test func inOrderRecordsExtendTheLatestSessionAcrossCommitsAndStartNewOnesBeyondTheGap() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.session(gap: .milliseconds(5))).count(named: "sessions")
                .toChangeStream().to("sessions", key: .windowed(.string), value: .int64.optional)
        ])
        for t in [0, 4, 8, 20] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        try d.commit()  // the operator forgets what it knew of the latest sessions; the store still has them
        try d.words.pipe(key: "k", value: "x", timestamp: 23)
        try d.words.pipe(key: "other", value: "x", timestamp: 24)
        let changes = try d.output("sessions", key: .windowed(.string), value: .int64.optional).readRecords()
        #expect(changes.map { "\(windowLabel($0.key))=\($0.value.map(String.init) ?? "deleted")" } == [
            "k@0-0=1", "k@0-0=deleted", "k@0-4=2", "k@0-4=deleted", "k@0-8=3", "k@20-20=1",
            "k@20-20=deleted", "k@20-23=2", "other@24-24=1",
        ])
        let stored = try d.stores(named: "sessions").values.flatMap { try $0.sessions(key: .string, value: .int64) }
        // [0, 8] ended more than the gap before stream time 20 at the commit: it expired.
        #expect(stored.map { "\(windowLabel($0.key))=\($0.value)" }.sorted() == ["k@20-23=2", "other@24-24=1"])
    }

    @Test func aRecordTooLateForItsSessionIsDeadLettered() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.session(gap: .milliseconds(5), grace: .milliseconds(2))).count(named: "sessions")
                .toStream().to("sessions", key: .windowed(.string), value: .int64)
        ])
        try d.words.pipe(key: "k", value: "x", timestamp: 0)
        try d.words.pipe(key: "k", value: "x", timestamp: 30)  // close time 30 - 2 - 5 = 23
        try d.words.pipe(key: "k", value: "late", timestamp: 2)  // would merge into [0,0]: ends before 23
        try d.words.pipe(key: "k", value: "x", timestamp: 25)  // within the gap of [30,30]: joins it, not late
        #expect(d.deadLetters.count == 1)
        let stored = try #require(d.stores(named: "sessions").values.first)
        let got = try stored.sessions(key: .string, value: .int64).map { "\(windowLabel($0.key))=\($0.value)" }
        #expect(got == ["k@0-0=1", "k@25-30=2"], "\(got)")
    }

    @Test func suppressionEmitsEachWindowOnceWhenItClosesEvenForSilentKeys() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.tumbling(.seconds(10), grace: .seconds(2))).count(named: "counts")
                .suppress(.untilWindowCloses, named: "final-counts").toStream()
                .to("final", key: .windowed(.string), value: .int64)
        ])
        let out = d.output("final", key: .windowed(.string), value: .int64)
        try d.words.pipe(key: "a", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "a", value: "x", timestamp: 5_000)
        try d.words.pipe(key: "b", value: "x", timestamp: 3_000)
        try d.words.pipe(key: "c", value: "x", timestamp: 11_999)
        #expect(try out.readRecords().isEmpty, "nothing before [0,10s) closes at 12s")
        try d.words.pipe(key: "c", value: "x", timestamp: 12_000)
        let released = try out.readRecords()
        #expect(released.map { "\(windowLabel($0.key))=\($0.value)" } == ["a@0-10000=2", "b@0-10000=1"], "a and b fell silent")
        #expect(released.map(\.timestamp) == [5_000, 3_000])
        try d.words.pipe(key: "c", value: "x", timestamp: 30_000)
        #expect(try out.readRecords().map { "\(windowLabel($0.key))=\($0.value)" } == ["c@10000-20000=2"])
    }

    @Test func suppressionWritesItsStoreOnlyAtTheCommitStepAndOnlyWhatIsStillHeld() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.tumbling(.seconds(10))).count(named: "counts")
                .suppress(.untilWindowCloses, named: "final-counts").toStream()
                .to("final", key: .windowed(.string), value: .int64)
        ])
        let changelog = d.output("agg-final-counts-changelog", key: .bytes, value: .bytes.optional)
        let out = d.output("final", key: .windowed(.string), value: .int64)
        // Held and released between two commits: emitted, never stored.
        try d.words.pipe(key: "a", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "a", value: "x", timestamp: 2_000)
        try d.words.pipe(key: "b", value: "x", timestamp: 15_000)  // closes [0,10s)
        #expect(try out.readRecords().map { "\(windowLabel($0.key))=\($0.value)" } == ["a@0-10000=2"])
        let buffer = try #require(d.stores(named: "final-counts").values.first)
        #expect(buffer.pendingChanges == 0, "nothing reaches the store before the commit step")
        try d.commit()
        let first = try changelog.readRecords()
        #expect(first.count == 1 && first.allSatisfy { $0.value != nil }, "only b's held result, once: \(first.count)")
        // Held across a commit, then released: the next commit deletes it.
        try d.words.pipe(key: "b", value: "x", timestamp: 16_000)
        try d.words.pipe(key: "c", value: "x", timestamp: 25_000)  // closes [10s,20s)
        #expect(try out.readRecords().map { "\(windowLabel($0.key))=\($0.value)" } == ["b@10000-20000=2"])
        try d.commit()
        let second = try changelog.readRecords()
        #expect(second.filter { $0.value == nil }.count == 1, "b's stored result is deleted")
        #expect(second.filter { $0.value != nil }.count == 1, "c's held result is stored")
    }

    @Test func expiredWindowsLeaveTheStoreAtTheCommitStep() throws {
        let d = try counting(.tumbling(.seconds(10)))
        try d.words.pipe(key: "k", value: "x", timestamp: 1_000)
        try d.words.pipe(key: "k", value: "x", timestamp: 35_000)
        let store = try #require(d.stores(named: "counts").values.first)
        let before = try store.windows(key: .string, value: .int64, size: { _ in 10_000 }).map { $0.key.window.start }
        #expect(before == [0, 30_000])
        try d.commit()
        let after = try store.windows(key: .string, value: .int64, size: { _ in 10_000 }).map { $0.key.window.start }
        #expect(after == [30_000], "retention is size plus grace behind stream time")
    }
}
