import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// Table-table joins on the key (Kafka Streams' `KTable#join(KTable)`): updates when either side
/// changes, a deletion when a result disappears, nothing when there was no result and is none.
@Suite("Table-table joins")
struct TableTableJoinTests {
    let left = Table("left", key: .string, value: .string)
    let right = Table("right", key: .string, value: .string)

    func driver(_ joined: Table<String, String>) throws -> TopologyTestDriver {
        try joinDriver(defaultPartitions: 2, [joined.toChangeStream().to("out", value: .string.optional)])
    }

    @Test func innerJoinEmitsWhenBothSidesHaveTheKeyAndDeletesWhenOneGoes() throws {
        let d = try driver(left.join(right, named: "j") { pair($0, $1) })
        try d.tableInput("left").pipe(key: "a", value: "1")
        #expect(try d.changes().isEmpty, "no right row: no result, and no deletion of a result that never was")
        try d.tableInput("right").pipe(key: "a", value: "x")
        try d.tableInput("left").pipe(key: "a", value: "2")
        try d.tableInput("right").pipe(key: "a", value: nil)
        try d.tableInput("left").pipe(key: "a", value: nil)
        #expect(try d.changes() == ["a=1+x", "a=2+x", "a=<deleted>"])
        let c = try #require(d.counts(of: "j"))
        #expect(c.received == 5 && c.forwarded == 3 && c.filtered == 2)
    }

    @Test func eachUpdateCarriesTheResultItReplaces() throws {
        // Through a regrouping, the old value is what gets subtracted: counts per joined value stay exact.
        let perValue = left.join(right, named: "j") { pair($0, $1) }
            .groupBy(named: "by-value", key: .string, value: .string) { k, v in (v, k) }.count(named: "per-value")
        let g = try joinDriver(defaultPartitions: 2, [perValue.toStream().to("counts", value: .int64)])
        try g.tableInput("right").pipe(key: "a", value: "x")
        try g.tableInput("left").pipe(key: "a", value: "1")
        try g.tableInput("left").pipe(key: "a", value: "2")
        try g.tableInput("right").pipe(key: "a", value: nil)
        #expect(try g.keyValueStore("per-value", key: .string, value: .int64) == (["1+x": 0, "2+x": 0] as [String: Int64]))
    }

    @Test func leftJoinKeepsLeftRowsAndDeletesWhenTheLeftRowGoes() throws {
        let d = try driver(left.leftJoin(right, named: "j") { pair($0, $1) })
        try d.tableInput("right").pipe(key: "a", value: "x")
        try d.tableInput("left").pipe(key: "a", value: "1")
        try d.tableInput("right").pipe(key: "a", value: nil)
        try d.tableInput("left").pipe(key: "a", value: nil)
        try d.tableInput("right").pipe(key: "b", value: "y")
        #expect(try d.changes() == ["a=1+x", "a=1+-", "a=<deleted>"])
    }

    @Test func outerJoinKeepsRowsOfEitherSide() throws {
        let d = try driver(left.outerJoin(right, named: "j") { pair($0, $1) })
        try d.tableInput("right").pipe(key: "a", value: "x")
        try d.tableInput("left").pipe(key: "a", value: "1")
        try d.tableInput("right").pipe(key: "a", value: nil)
        try d.tableInput("left").pipe(key: "a", value: nil)
        #expect(try d.changes() == ["a=-+x", "a=1+x", "a=1+-", "a=<deleted>"])
    }
}
