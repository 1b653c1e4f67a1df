@testable import SluiceOperators
import SluiceTesting
@testable import SluiceTopology
import Testing

struct Refused: Error, CustomStringConvertible {
    var description: String { "amount must not be negative" }
}

@Suite("Bad input goes to the dead-letter topic, and the counts reconcile")
struct DeadLetterTests {
    @Test func aPoisonPillIsDeadLetteredWithItsHeadersAndProcessingGoesOn() throws {
        let d = try driver(defaultPartitions: 3) { $0.mapValues { e in Int64(e.amount) }.to("out", value: .int64) }
        try d.events.pipe(key: "good-1", value: .e("good-1"), timestamp: 10)
        try d.events.pipeRaw(key: Array("bad".utf8), value: Array("{not json".utf8), timestamp: 20, headers: ["trace": "t"], partition: 2)
        try d.events.pipe(key: "good-2", value: .e("good-2"), timestamp: 30)

        #expect(try d.output("out", key: .string, value: .int64).readKeyValues().map(\.0) == ["good-1", "good-2"])
        let dead = d.deadLetters
        try #require(dead.count == 1)
        let r = dead[0]
        #expect(r.topic == "test-app-dlq")
        #expect(r.key == Array("bad".utf8) && r.value == Array("{not json".utf8), "the original bytes, unchanged")
        #expect(r.headers.string(DeadLetterHeaders.topic) == "in")
        #expect(r.headers.string(DeadLetterHeaders.partition) == "2")
        #expect(r.headers.string(DeadLetterHeaders.offset) == "0")
        #expect(r.headers.string(DeadLetterHeaders.timestamp) == "20")
        #expect(r.headers.string(DeadLetterHeaders.operation) == "in-source")
        #expect(r.headers.string(DeadLetterHeaders.error)?.contains("deserialization of the value failed") == true)
        #expect(r.headers.string("trace") == "t", "the record's own headers are kept")
        let source = try #require(d.counts(of: "in-source"))
        #expect(source.received == 3 && source.forwarded == 2 && source.deadLettered == 1 && source.reconciles)
    }

    @Test func aDeadLetterOutsideARecordNamesNoInput() throws {
        // Between records (a commit step's or a watermark's work) the last input's bytes are gone:
        // its consumer let them go, so nothing of it may be sent or named.
        let sent = SentRecords()
        let context = TaskContext(
            applicationID: "app", task: TaskID(subtopology: 0, partition: 1), deadLetterTopic: "app-dlq", collector: sent,
            wallClock: { 77 })
        #expect(context.current == nil)
        context.deadLetter(Refused(), at: NodeInfo(name: "emit", operation: "to", subtopology: 0))
        let r = try #require(sent.sent.first)
        #expect(r.topic == "app-dlq" && r.key == nil && r.value == nil)
        #expect(r.headers.elements.map(\.name) == [DeadLetterHeaders.error, DeadLetterHeaders.operation])
        #expect(r.headers.string(DeadLetterHeaders.error) == "amount must not be negative")
        #expect(r.headers.string(DeadLetterHeaders.operation) == "emit")
        #expect(context.deadLettered == 1)
    }

    @Test func aThrowingClosureDeadLettersTheInputRecord() throws {
        let d = try driver {
            $0.mapValues(named: "check") { e in
                guard e.amount >= 0 else { throw Refused() }
                return e
            }.to("out")
        }
        try d.events.pipe(key: "a", value: .e("a", "click", -5), timestamp: 5)
        try d.events.pipe(key: "b", value: .e("b", "click", 5), timestamp: 6)
        #expect(try d.out().readKeyValues().map(\.0) == ["b"])
        let dead = try #require(d.deadLetters.first)
        #expect(dead.headers.string(DeadLetterHeaders.error) == "amount must not be negative")
        #expect(dead.headers.string(DeadLetterHeaders.operation) == "check")
        let c = try #require(d.counts(of: "check"))
        #expect(c.received == 2 && c.forwarded == 1 && c.deadLettered == 1 && c.reconciles)
    }

    @Test func aNullValueWhereTheSerdeHasNoNullIsDeadLettered() throws {
        let d = try driver { $0.to("out") }
        try d.events.pipeRaw(key: Array("k".utf8), value: nil)
        #expect(d.deadLetters.first?.headers.string(DeadLetterHeaders.error)?.contains("null") == true)
    }

    @Test func everyRecordIsAccountedForAcrossTheTopology() throws {
        let d = try driver(defaultPartitions: 4) {
            $0.filter(named: "f") { _, e in e.type != "bot" }
                .mapValues(named: "m") { e in
                    if e.amount == 13 { throw Refused() }
                    return e
                }
                .to("out")
        }
        var sent = 0
        for i in 0..<200 {
            let type = i % 7 == 0 ? "bot" : "click"
            if i % 31 == 0 {
                try d.events.pipeRaw(key: Array("k\(i)".utf8), value: [0xff])
            } else {
                try d.events.pipe(key: "k\(i)", value: .e("k\(i)", type, i % 20))
            }
            sent += 1
        }
        let out = try d.out().readRecords().count
        let counts = d.allCounts
        let source = try #require(counts["in-source"])
        let f = try #require(counts["f"])
        let m = try #require(counts["m"])
        #expect(source.received == sent)
        #expect(source.forwarded == f.received && f.forwarded == m.received)
        #expect(m.forwarded == out)
        #expect(counts.values.allSatisfy { $0.reconciles })
        #expect(source.deadLettered + f.deadLettered + m.deadLettered == d.deadLetters.count)
        #expect(out + f.filtered + d.deadLetters.count == sent, "in = out + filtered + dead-lettered")
        #expect(d.taskIDs.count == 4, "one task per partition")
    }
}
