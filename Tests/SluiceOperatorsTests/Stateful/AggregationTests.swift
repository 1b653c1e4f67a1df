import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

@Suite("Aggregations, tables and repartitioning through the TestDriver")
struct AggregationTests {
    let words = Stream("words", key: .string, value: .string)

    @Test func countForwardsEveryUpdateAndKeepsTheLatestInTheStore() throws {
        let d = try statefulDriver([words.groupByKey().count(named: "word-counts").toStream().to("counts", value: .int64)])
        for (k, t) in [("a", 1), ("b", 2), ("a", 3), ("a", 4)] { try d.words.pipe(key: k, value: "x", timestamp: Int64(t)) }
        let out = try d.output("counts", key: .string, value: .int64).readRecords()
        #expect(out.map { "\($0.key)=\($0.value)" } == ["a=1", "b=1", "a=2", "a=3"])
        #expect(out.map(\.timestamp) == [1, 2, 3, 4], "an aggregate carries the newest timestamp that made it")
        #expect(try d.keyValueStore("word-counts", key: .string, value: .int64) == (["a": 3, "b": 1] as [String: Int64]))
        #expect(d.plan.describe().contains("Processor: word-counts (stores: [word-counts])"))
    }

    @Test func reduceAndAggregate() throws {
        let reduced = words.groupByKey().reduce(named: "longest") { a, b in a.count >= b.count ? a : b }
        let aggregated = words.groupByKey().aggregate(named: "letters", serde: .int64, initializer: { Int64(100) }) { _, w, n in n + Int64(w.count) }
        let d = try statefulDriver([reduced.toStream().to("longest"), aggregated.toStream().to("letters", value: .int64)])
        for w in ["hi", "hello", "hey"] { try d.words.pipe(key: "k", value: w) }
        // "hey" leaves the longest word as it was: nothing is forwarded for it (emit on change).
        #expect(try d.output("longest", key: .string, value: .string).readValues() == ["hi", "hello"])
        #expect(d.counts(of: "longest")?.filtered == 1, "the unchanged update is counted, not lost")
        #expect(try d.output("letters", key: .string, value: .int64).readValues() == ([102, 107, 110] as [Int64]))
    }

    @Test func groupingAfterAKeyChangeRepartitionsThroughATopicNamedAfterTheAggregation() throws {
        let byLength = words.selectKey { _, w in "len\(w.count)" }.groupByKey().count(named: "by-length")
        let d = try statefulDriver(partitions: 4, [byLength.toStream().to("lengths", value: .int64)])
        #expect(d.plan.internalTopics.map(\.name) == ["agg-by-length-repartition"])
        #expect(d.plan.subtopologies.count == 2)
        for (i, w) in ["a", "bb", "cc", "dd", "e"].enumerated() { try d.words.pipe(key: "user-\(i)", value: w) }
        let latest = Dictionary(try d.output("lengths", key: .string, value: .int64).readKeyValues(), uniquingKeysWith: { _, b in b })
        #expect(latest == (["len1": 2, "len2": 3] as [String: Int64]), "counts are right although inputs came from different partitions")
    }

    @Test func groupByWithANewKeyAlwaysRepartitions() throws {
        let firstLetter = words.groupBy(key: .string) { _, w in String(w.prefix(1)) }.count(named: "by-letter")
        let d = try statefulDriver(partitions: 3, [firstLetter.toStream().to("letters", value: .int64)])
        for w in ["apple", "avocado", "banana"] { try d.words.pipe(key: w, value: w) }
        #expect(try d.keyValueStore("by-letter", key: .string, value: .int64) == (["a": 2, "b": 1] as [String: Int64]))
    }

    @Test func aTableKeepsTheLatestValueAndATombstoneDeletesIt() throws {
        let users = Table("users", key: .string, value: .string)
        let d = try statefulDriver([users.toChangeStream().to("user-changes", value: .string.optional)])
        let input = d.input("users", key: .string, value: .string.optional)
        try input.pipe(key: "u1", value: "Berlin")
        try input.pipe(key: "u1", value: "Paris")
        try input.pipe(key: "u1", value: nil)
        try input.pipe(key: "u2", value: nil)
        #expect(try d.output("user-changes", key: .string, value: .string.optional).readValues() == ["Berlin", "Paris", nil])
        #expect(d.counts(of: "users-table")?.filtered == 1, "deleting an absent key changes nothing")
        #expect(try d.keyValueStore("users-table", key: .string, value: .string).isEmpty)
    }

    @Test func aTablesStreamCarriesItsNewValuesAndCountsADeletionAsFiltered() throws {
        let users = Table("users", key: .string, value: .string)
        let d = try statefulDriver([users.toStream(named: "user-values").to("user-values", value: .string)])
        let input = d.input("users", key: .string, value: .string.optional)
        for (key, value) in [("u1", "Berlin"), ("u1", "Paris"), ("u1", nil), ("u2", "Rome")] as [(String, String?)] {
            try input.pipe(key: key, value: value)
        }
        #expect(try d.output("user-values", key: .string, value: .string).readRecords().map { "\($0.key)=\($0.value)" } == ["u1=Berlin", "u1=Paris", "u2=Rome"])
        let counts = d.counts(of: "user-values")
        #expect(counts?.received == 4 && counts?.forwarded == 3 && counts?.filtered == 1, "the deletion is counted, not lost")
    }

    @Test func aRegroupedTableSubtractsAValueThatMovesToAnotherKey() throws {
        let users = Table("users", key: .string, value: .string)
        let perCity = users.groupBy(named: "by-city", key: .string, value: .string) { user, city in (city, user) }.count(named: "users-per-city")
        let d = try statefulDriver(partitions: 2, [perCity.toStream().to("per-city", value: .int64)])
        let input = d.input("users", key: .string, value: .string.optional)
        try input.pipe(key: "u1", value: "Berlin")
        try input.pipe(key: "u2", value: "Berlin")
        try input.pipe(key: "u1", value: "Paris")
        try input.pipe(key: "u2", value: nil)
        #expect(try d.keyValueStore("users-per-city", key: .string, value: .int64) == (["Berlin": 0, "Paris": 1] as [String: Int64]))
    }

    @Test func aRegroupedTableSendsNothingForAnUpdateThatSelectsTheSameKeyAndValue() throws {
        let users = Table("users", key: .string, value: .string)
        // Only the city before "|" is selected: a change of the rest selects the same pair.
        let perCity = users.groupBy(named: "by-city", key: .string, value: .string) { user, profile in
            (String(profile.prefix { $0 != "|" }), user)
        }.count(named: "users-per-city")
        let d = try statefulDriver([perCity.toStream().to("per-city", value: .int64)])
        let input = d.input("users", key: .string, value: .string)
        try input.pipe(key: "u1", value: "Berlin|30")
        _ = try d.output("per-city", key: .string, value: .int64).readRecords()
        #expect(try d.output("agg-by-city-repartition", key: .bytes, value: .bytes).readRecords().count == 1)
        try input.pipe(key: "u1", value: "Berlin|31")
        #expect(try d.output("per-city", key: .string, value: .int64).readRecords().isEmpty, "no subtraction and re-addition")
        #expect(try d.output("agg-by-city-repartition", key: .bytes, value: .bytes).readRecords().isEmpty)
        try input.pipe(key: "u1", value: "Paris|31")
        let moved = try d.output("per-city", key: .string, value: .int64).readRecords().map { "\($0.key)=\($0.value)" }
        #expect(moved.sorted() == ["Berlin=0", "Paris=1"])
    }

    @Test func theCommitStepWritesEachChangedKeyOnceToTheChangelog() throws {
        let d = try statefulDriver([words.groupByKey().count(named: "c").toStream().to("out", value: .int64)])
        for _ in 0..<5 { try d.words.pipe(key: "a", value: "x") }
        try d.words.pipe(key: "b", value: "x")
        let changelog = d.output("agg-c-changelog", key: .bytes, value: .bytes)
        #expect(try changelog.readRecords().isEmpty, "nothing before the commit step")
        try d.commit()
        let records = try changelog.readRecords()
        #expect(records.count == 2, "five updates of one key are one changelog record")
        let counts = records.map { r in r.value.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self)) } }
        #expect(Set(counts) == [5, 1])
    }
}
