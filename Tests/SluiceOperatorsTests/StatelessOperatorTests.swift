import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

@Suite("Stateless operators through the TestDriver")
struct StatelessOperatorTests {
    @Test func filterKeepsMatchesAndCountsTheRest() throws {
        let d = try driver { $0.filter(named: "big") { _, e in e.amount > 10 }.to("out") }
        for (i, amount) in [5, 50, 11, 10].enumerated() { try d.events.pipe(key: "u\(i)", value: .e("u\(i)", "click", amount), timestamp: 100) }
        #expect(try d.out().readValues().map(\.amount) == [50, 11])
        let c = try #require(d.counts(of: "big"))
        #expect(c.received == 4 && c.forwarded == 2 && c.filtered == 2 && c.deadLettered == 0 && c.reconciles)
    }

    @Test func filterNotDropsMatches() throws {
        let d = try driver { $0.filterNot { _, e in e.type == "bot" }.to("out") }
        try d.events.pipe(key: "a", value: .e("a", "bot"))
        try d.events.pipe(key: "b", value: .e("b", "click"))
        #expect(try d.out().readKeyValues().map(\.0) == ["b"])
    }

    @Test func mapReplacesKeyAndValueKeepingTimestampAndHeaders() throws {
        let d = try driver {
            $0.map { k, e in (e.type, Event.e(k, e.type, e.amount * 2)) }.to("out", key: .string, value: .json())
        }
        try d.events.pipe(key: "u1", value: .e("u1", "view", 3), timestamp: 777, headers: ["trace": "t-1"])
        let r = try #require(try d.out().readRecords().first)
        #expect(r.key == "view" && r.value == .e("u1", "view", 6))
        #expect(r.timestamp == 777)
        #expect(r.headers.string("trace") == "t-1", "headers travel with the record")
    }

    @Test func mapValuesInBothFormsKeepsTheKey() throws {
        let d = try driver {
            $0.mapValues { e in e.amount }.mapValues { k, n in "\(k):\(n)" }.to("out", value: .string)
        }
        try d.events.pipe(key: "k", value: .e("k", "click", 4))
        let out = d.output("out", key: .string, value: .string)
        #expect(try out.readKeyValues().map { "\($0.0)=\($0.1)" } == ["k=k:4"])
    }

    @Test func compactMapValuesDropsNilResultsAsFilteredAndDeadLettersThrows() throws {
        struct Refused: Error {}
        let d = try driver {
            $0.compactMapValues(named: "amounts") { e -> String? in
                if e.type == "bad" { throw Refused() }
                return e.amount > 0 ? "\(e.amount)" : nil
            }.to("out", value: .string)
        }
        try d.events.pipe(key: "a", value: .e("a", "click", 3))
        try d.events.pipe(key: "b", value: .e("b", "click", 0))
        try d.events.pipe(key: "c", value: .e("c", "bad", 1))
        let out = d.output("out", key: .string, value: .string)
        #expect(try out.readKeyValues().map { "\($0.0)=\($0.1)" } == ["a=3"])
        let c = try #require(d.counts(of: "amounts"))
        #expect(c.received == 3 && c.forwarded == 1 && c.filtered == 1 && c.deadLettered == 1 && c.reconciles)
    }

    @Test func lentBytesKeepEmptyValuesApartFromNulls() throws {
        let d = try TopologyTestDriver(
            plan: TopologyPlan(applicationID: "lend", pipelines: [Stream("raw", key: .bytes, value: .bytes.optional).to("out")]))
        let raw = d.input("raw", key: .bytes, value: .bytes.optional)
        try raw.pipe(key: [1], value: [])
        try raw.pipe(key: [2], value: nil)
        try raw.pipe(key: [3], value: [7, 8])
        let out = try d.output("out", key: .bytes, value: .bytes.optional).readRecords()
        #expect(out.map(\.value) == [[], nil, [7, 8]], "an empty value stays empty, a null stays null")
    }

    @Test func bytesKeptDownstreamStayAsTheyWereWhileTheSourceReusesItsArrays() throws {
        let kept = Collected()
        let plan = try TopologyPlan(applicationID: "reuse", pipelines: [
            Stream("raw", key: .bytes, value: .bytes).peek { k, v in if k == [1] { kept.add(v.map(String.init).joined(separator: ",")) } }.to("out")
        ])
        let d = try TopologyTestDriver(plan: plan)
        let raw = d.input("raw", key: .bytes, value: .bytes)
        let values: [[UInt8]] = [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3], [4, 4, 4, 4, 4], []]
        for (i, v) in values.enumerated() { try raw.pipe(key: [UInt8(i % 2 + 1)], value: v) }
        #expect(kept.items == ["1,1,1,1", "3,3,3", ""], "values a closure kept are not written over by later records")
        #expect(try d.output("out", key: .bytes, value: .bytes).readValues() == values)
    }

    @Test func selectKeyRekeysAndPartitionsByTheNewKey() throws {
        let d = try driver(partitions: ["out": 8]) { $0.selectKey { _, e in e.type }.to("out") }
        for t in ["click", "view", "scroll", "click"] { try d.events.pipe(key: "same-user", value: .e("u", t)) }
        let records = try d.out().readRecords()
        #expect(records.map(\.key) == ["click", "view", "scroll", "click"])
        for r in records {
            #expect(r.partition == KafkaPartitioner.partition(forKey: Array(r.key.utf8), partitions: 8))
        }
    }

    @Test func flatMapAndFlatMapValuesExpandAndCount() throws {
        let d = try driver {
            $0.flatMapValues(named: "repeat") { e in Array(repeating: e, count: e.amount) }
                .flatMap(named: "explode") { k, e in e.type == "none" ? [] : [(k + "-a", e), (k + "-b", e)] }
                .to("out")
        }
        try d.events.pipe(key: "x", value: .e("x", "click", 2))
        try d.events.pipe(key: "y", value: .e("y", "none", 1))
        try d.events.pipe(key: "z", value: .e("z", "click", 0))
        #expect(try d.out().readKeyValues().map(\.0) == ["x-a", "x-b", "x-a", "x-b"])
        let r = try #require(d.counts(of: "repeat"))
        #expect(r.received == 3 && r.forwarded == 2 && r.filtered == 1 && r.emitted == 3 && r.reconciles)
        let c = try #require(d.counts(of: "explode"))
        #expect(c.received == 3 && c.forwarded == 2 && c.filtered == 1 && c.emitted == 4 && c.reconciles)
    }

    @Test func peekSeesEveryRecordAndForeachEndsAPipeline() throws {
        let seen = Collected()
        let d = try driver {
            $0.peek { k, _ in seen.add("peek \(k)") }.to("out")
            $0.foreach(named: "audit") { k, e in seen.add("foreach \(k) \(e.amount)") }
        }
        try d.events.pipe(key: "a", value: .e("a", "click", 1))
        try d.events.pipe(key: "b", value: .e("b", "click", 2))
        #expect(seen.items == ["peek a", "foreach a 1", "peek b", "foreach b 2"], "depth-first, in declaration order")
        #expect(try d.out().readKeyValues().count == 2)
        #expect(d.counts(of: "audit")?.received == 2)
    }

    @Test func mergeJoinsStreamsOfOneType() throws {
        let other = Stream("in2", key: .string, value: .json(Event.self))
        let d = try driver { $0.merge(other, named: "both").to("out") }
        try d.events.pipe(key: "a", value: .e("a"))
        try d.input("in2", key: .string, value: .json(Event.self)).pipe(key: "b", value: .e("b"))
        try d.events.pipe(key: "c", value: .e("c"))
        #expect(try d.out().readKeyValues().map(\.0) == ["a", "b", "c"])
        #expect(d.counts(of: "both")?.received == 3)
        #expect(d.plan.subtopologies.count == 1, "merged inputs are one sub-topology")
    }

    @Test func splitRoutesToTheFirstMatchingBranchAndTheRestToOtherwise() throws {
        let d = try driver {
            $0.split(named: "route") {
                Branch("clicks", where: { _, e in e.type == "click" }) { $0.to("clicks") }
                Branch("big", where: { _, e in e.amount > 100 }) { $0.to("big") }
                Branch.otherwise { $0.to("other") }
            }
        }
        try d.events.pipe(key: "1", value: .e("1", "click", 500))
        try d.events.pipe(key: "2", value: .e("2", "view", 500))
        try d.events.pipe(key: "3", value: .e("3", "view", 5))
        #expect(try d.out("clicks").readKeyValues().map(\.0) == ["1"], "first match wins")
        #expect(try d.out("big").readKeyValues().map(\.0) == ["2"])
        #expect(try d.out("other").readKeyValues().map(\.0) == ["3"])
        #expect(d.counts(of: "route-clicks")?.received == 1)
        #expect(d.counts(of: "route")?.reconciles == true)
    }

    @Test func splitWithoutOtherwiseDropsAndCountsUnmatchedRecords() throws {
        let d = try driver {
            $0.split(named: "route") { Branch("clicks", where: { _, e in e.type == "click" }) { $0.to("clicks") } }
        }
        try d.events.pipe(key: "1", value: .e("1", "view"))
        #expect(try d.out("clicks").readRecords().isEmpty)
        #expect(d.counts(of: "route")?.filtered == 1)
    }

    @Test func toChoosesATopicPerRecord() throws {
        let d = try driver { $0.to(named: "by-type") { _, e in "events-\(e.type)" } }
        try d.events.pipe(key: "a", value: .e("a", "click"))
        try d.events.pipe(key: "b", value: .e("b", "view"))
        #expect(try d.out("events-click").readKeyValues().map(\.0) == ["a"])
        #expect(try d.out("events-view").readKeyValues().map(\.0) == ["b"])
    }

    @Test func aSourceMayReadSeveralTopics() throws {
        let both = Stream(["left", "right"], key: .string, value: .string)
        let plan = try TopologyPlan(applicationID: "multi", pipelines: [both.mapValues { $0.uppercased() }.to("out")])
        let d = try TopologyTestDriver(plan: plan)
        try d.input("left", key: .string, value: .string).pipe(key: "1", value: "l")
        try d.input("right", key: .string, value: .string).pipe(key: "2", value: "r")
        #expect(try d.output("out", key: .string, value: .string).readValues() == ["L", "R"])
    }
}

/// Collects strings from closures that run on the driver's thread.
final class Collected: @unchecked Sendable {
    // @unchecked: the TestDriver runs every operator on the test's own thread.
    private(set) var items: [String] = []
    func add(_ s: String) { items.append(s) }
}
