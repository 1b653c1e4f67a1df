import Foundation
import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// The JSON a body parses to, for assertions on its structure rather than its spelling.
private func parsed(_ body: String?) throws -> [String: Any] {
    let text = try #require(body)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [String: Any])
}

private struct Basket: Codable, Sendable, Equatable {
    var items: Int64
    var last: String
}

/// Interactive queries through the TestDriver: the key parsing, partition choice, store reads and
/// JSON a worker's `/stores` endpoints use, without a broker.
@Suite("Interactive queries: key parsing and JSON answers")
struct StoreQueryTests {
    let words = Stream("words", key: .string, value: .string)

    @Test func aKeyValueStoreAnswersOneKeyWithANumberFromTheTaskOfItsPartition() throws {
        let d = try statefulDriver(partitions: 4, [words.groupByKey().count(named: "word-counts").toStream().to("counts", value: .int64)])
        for (k, t) in [("a", 1), ("b", 2), ("a", 3), ("a/x y", 4)] { try d.words.pipe(key: k, value: "x", timestamp: Int64(t)) }

        let a = try parsed(d.query(store: "word-counts", key: "a"))
        #expect(a["store"] as? String == "word-counts")
        #expect(a["key"] as? String == "a")
        #expect((a["value"] as? NSNumber)?.int64Value == 2, "an int64 value is a JSON number")
        #expect((a["timestamp"] as? NSNumber)?.int64Value == 3, "the timestamp of the newest record that made the value")
        #expect((a["partition"] as? NSNumber)?.int32Value == KafkaPartitioner.partition(forKey: Array("a".utf8), partitions: 4))
        #expect((try parsed(d.query(store: "word-counts", key: "a/x y"))["value"] as? NSNumber)?.int64Value == 1, "any text is a string key")
        #expect(try d.query(store: "word-counts", key: "never") == nil, "no value: nil (404 on a worker)")
        #expect(throws: TopologyError.self) { try d.query(store: "nope", key: "a") }
        #expect(throws: TopologyError.self) { try d.query(store: "word-counts", key: "a", from: 0) }
    }

    @Test func rangesAndPrefixesReadEveryPartitionInKeyOrderWithinTheLimit() throws {
        let d = try statefulDriver(partitions: 3, [words.groupByKey().count(named: "word-counts").toStream().to("counts", value: .int64)])
        for k in ["u-1", "u-2", "u-10", "v-1", "w"] { try d.words.pipe(key: k, value: "x") }
        func keys(_ body: String) throws -> [String] { (try parsed(body)["entries"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String } }

        #expect(try keys(d.queryRange(store: "word-counts")) == ["u-1", "u-10", "u-2", "v-1", "w"], "key-byte order over every partition")
        #expect(try keys(d.queryRange(store: "word-counts", from: "u-10", to: "v-1")) == ["u-10", "u-2", "v-1"], "both ends inclusive")
        #expect(try keys(d.queryRange(store: "word-counts", prefix: "u-1")) == ["u-1", "u-10"])
        let limited = try parsed(d.queryRange(store: "word-counts", limit: 2))
        #expect((limited["entries"] as? [Any])?.count == 2 && limited["truncated"] as? Bool == true)
        #expect(try parsed(d.queryRange(store: "word-counts"))["truncated"] as? Bool == false)
    }

    @Test func aWindowFetchReturnsEachWindowsStartEndAndValueWithinTheTimeRange() throws {
        let d = try statefulDriver(partitions: 2, [
            words.groupByKey().windowedBy(.tumbling(.seconds(10))).count(named: "per-10s").toStream()
                .to("counts", key: .windowed(.string), value: .int64)
        ])
        // Half committed, half still in the batch's cache; another key's windows interleave in the
        // time-first layout tumbling windows use, and must not show up.
        for t in [1_000, 2_000] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        try d.words.pipe(key: "j", value: "x", timestamp: 1_500)
        try d.commit()
        for t in [15_000, 31_000] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        try d.words.pipe(key: "kk", value: "x", timestamp: 16_000)
        let all = try parsed(d.query(store: "per-10s", key: "k"))
        let windows = try #require(all["windows"] as? [[String: Any]])
        #expect(windows.map { "\($0["start"]!)-\($0["end"]!)=\($0["value"]!)" } == ["0-10000=2", "10000-20000=1", "30000-40000=1"])
        #expect(all["from"] is NSNull && all["to"] is NSNull, "unbounded")
        let some = try parsed(d.query(store: "per-10s", key: "k", from: 10_000, to: 30_000))
        #expect((some["windows"] as? [[String: Any]])?.compactMap { ($0["start"] as? NSNumber)?.int64Value } == [10_000, 30_000], "starts in [from, to]")
        #expect((try parsed(d.query(store: "per-10s", key: "other"))["windows"] as? [Any])?.isEmpty == true)
        #expect(throws: TopologyError.self) { try d.queryRange(store: "per-10s") }
    }

    @Test func slidingWindowsKeepTheKeyFirstLayoutAndAnswerTheSameWay() throws {
        let d = try statefulDriver(partitions: 2, [
            words.groupByKey().windowedBy(.sliding(.seconds(10))).count(named: "sliding").toStream()
                .to("counts", key: .windowed(.string), value: .int64)
        ])
        for t in [20_000, 25_000] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        try d.words.pipe(key: "j", value: "x", timestamp: 22_000)
        let windows = try #require(try parsed(d.query(store: "sliding", key: "k"))["windows"] as? [[String: Any]])
        let starts = windows.compactMap { ($0["start"] as? NSNumber)?.int64Value }
        #expect(!starts.isEmpty && starts == starts.sorted(), "by start ascending: \(starts)")
        #expect(windows.map { ($0["value"] as? NSNumber)?.int64Value ?? 0 }.max() == 2, "the window holding both records of k, none of j")
    }

    @Test func aSessionStoreAnswersTheSessionsOfAKey() throws {
        let d = try statefulDriver([
            words.groupByKey().windowedBy(.session(gap: .milliseconds(5))).count(named: "sessions").toStream()
                .to("sessions", key: .windowed(.string), value: .int64)
        ])
        for t in [0, 3, 20, 22, 24] { try d.words.pipe(key: "k", value: "x", timestamp: Int64(t)) }
        let sessions = try #require(try parsed(d.query(store: "sessions", key: "k"))["sessions"] as? [[String: Any]])
        #expect(sessions.map { "\($0["start"]!)-\($0["end"]!)=\($0["value"]!)" } == ["0-3=2", "20-24=3"])
        let late = try #require(try parsed(d.query(store: "sessions", key: "k", from: 10, to: 30))["sessions"] as? [[String: Any]])
        #expect(late.count == 1, "sessions ending at or after from and starting at or before to")
    }

    @Test func jsonValuesAreEmbeddedAsJSONAndInt64KeysAreParsed() throws {
        let amounts = Stream("amounts", key: .int64, value: .string)
        let baskets = amounts.groupByKey().aggregate(named: "baskets", serde: .json(Basket.self), initializer: { Basket(items: 0, last: "") }) {
            _, item, b in Basket(items: b.items + 1, last: item)
        }
        let d = try TopologyTestDriver(plan: TopologyPlan(applicationID: "q", pipelines: [baskets.toStream().to("out", value: .json(Basket.self))]))
        let input = d.input("amounts", key: .int64, value: .string)
        try input.pipe(key: -7, value: "apple \"red\"")
        try input.pipe(key: -7, value: "pear")
        let body = try parsed(d.query(store: "baskets", key: "-7"))
        #expect((body["key"] as? NSNumber)?.int64Value == -7, "an int64 key is a JSON number")
        let value = try #require(body["value"] as? [String: Any])
        #expect((value["items"] as? NSNumber)?.int64Value == 2 && value["last"] as? String == "pear", "a JSON value is an object")
        #expect(throws: SerdeError.self) { try d.query(store: "baskets", key: "seven") }
        #expect(d.plan.queryableStores["baskets"]?.codec.keyFormat == "int64")
    }

    @Test func bytesAreBase64AndSuppressionBuffersAreNotQueryable() throws {
        let raw = Stream("raw", key: .bytes, value: .bytes)
        let latest = raw.groupByKey().reduce(named: "latest") { _, b in b }
        let minutes = words.groupByKey().windowedBy(.tumbling(.minutes(1))).count(named: "per-minute")
            .suppress(.untilWindowCloses, named: "final-per-minute")
        let d = try TopologyTestDriver(plan: TopologyPlan(applicationID: "q", pipelines: [
            latest.toStream().to("out", key: .bytes, value: .bytes),
            minutes.toStream().to("minutes", key: .windowed(.string), value: .int64),
        ]))
        let key: [UInt8] = [0xFF, 0x00, 0x2F]
        let value: [UInt8] = [1, 2, 3]
        try d.input("raw", key: .bytes, value: .bytes).pipe(key: key, value: value)
        let body = try parsed(d.query(store: "latest", key: "_wAv"))  // URL-safe base64 of FF 00 2F
        #expect(body["key"] as? String == "/wAv" && body["value"] as? String == "AQID", "bytes are standard base64 in answers")
        #expect(Set(d.plan.queryableStores.keys) == ["latest", "per-minute"])
        #expect(d.plan.queryableStores["per-minute"]?.layout == .window(size: 60_000))
    }
}
