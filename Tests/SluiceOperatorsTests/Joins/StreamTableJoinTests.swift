import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// Stream-table and stream-global-table joins: a lookup of the table's value when the stream
/// record is processed (Kafka Streams' `KStream#join(KTable)`); table updates trigger nothing.
@Suite("Stream-table joins")
struct StreamTableJoinTests {
    let events = Stream("events", key: .string, value: .string)
    let users = Table("users", key: .string, value: .string)

    @Test func aStreamRecordJoinsTheTableValueOfItsKeyAtTheTimeItIsProcessed() throws {
        let d = try joinDriver(defaultPartitions: 3, [events.join(users) { pair($0, $1) }.to("out")])
        #expect(d.plan.subtopologies.count == 1, "the stream and the table are one task per partition")
        #expect(d.plan.copartitionGroups.map(\.topics) == [["events", "users"]])
        #expect(d.plan.lookupTableTopics == ["users"], "a worker's task reads the table's partition before the stream's")
        try d.tableInput("users").pipe(key: "u1", value: "Berlin")
        try d.strings("events").pipe(key: "u1", value: "e1", timestamp: 5)
        try d.tableInput("users").pipe(key: "u1", value: "Paris")
        #expect(try d.joined().count == 1, "a table update alone emits nothing")
        try d.strings("events").pipe(key: "u1", value: "e2", timestamp: 6)
        try d.tableInput("users").pipe(key: "u1", value: nil)
        try d.strings("events").pipe(key: "u1", value: "e3", timestamp: 7)
        try d.strings("events").pipe(key: "u2", value: "e4", timestamp: 8)
        #expect(try d.joined() == ["u1=e2+Paris@6"], "after the tombstone, and for an unknown user, the inner join has no result")
        let c = try #require(d.counts(of: d.plan.subtopologies[0].nodes.first { $0.operation == "stream-table-join" }!.name))
        #expect(c.received == 4 && c.forwarded == 2 && c.filtered == 2 && c.reconciles)
        // Only joined, the table reads no row it replaces; its counts are those it would have.
        try d.tableInput("users").pipe(key: "u9", value: nil)
        let table = try #require(d.counts(of: d.plan.subtopologies[0].nodes.first { $0.operation == "table" }!.name))
        #expect(table.received == 4 && table.forwarded == 3 && table.filtered == 1 && table.reconciles, "\(table)")
    }

    struct Profile: Codable, Sendable { var plan: String }

    @Test func aTableKeepsTheBytesOfTheRecordsItReadsAsTheyCame() throws {
        // The store (and its changelog) hold each row as its record's bytes: written again by the
        // serde, this row would lose its member `Profile` does not hold, and its spaces.
        let profiles = Table("profiles", key: .string, value: .json(Profile.self), named: "profiles")
        let d = try joinDriver([events.join(profiles) { event, profile in "\(event)+\(profile.plan)" }.to("out")])
        let row = #"{ "plan" : "pro", "since" : 2019 }"#
        try d.input("profiles", key: .string, value: .string).pipe(key: "u1", value: row, timestamp: 3)
        try d.strings("events").pipe(key: "u1", value: "e1", timestamp: 5)
        #expect(try d.joined() == ["u1=e1+pro@5"])
        try d.commit()
        let changelog = try d.output("joins-profiles-changelog", key: .string, value: .bytes).readRecords()
        #expect(changelog.map(\.key) == ["u1"])
        let stored = try #require(changelog.first?.value)
        #expect(stored.prefix(8).elementsEqual(withUnsafeBytes(of: Int64(3).bigEndian) { Array($0) }), "the row's timestamp first")
        #expect(String(decoding: stored.dropFirst(8), as: UTF8.self) == row)
    }

    @Test func aLeftJoinKeepsRecordsWithoutATableRowWithNil() throws {
        let d = try joinDriver([events.leftJoin(users, named: "enrich") { pair($0, $1) }.to("out")])
        try d.strings("events").pipe(key: "u1", value: "e1", timestamp: 1)
        try d.tableInput("users").pipe(key: "u1", value: "Berlin")
        try d.strings("events").pipe(key: "u1", value: "e2", timestamp: 2)
        #expect(try d.joined() == ["u1=e1+-@1", "u1=e2+Berlin@2"])
    }

    @Test func aStreamWhoseKeyChangedIsRepartitionedToTheTablesPartitionCount() throws {
        let byUser = Stream("clicks", key: .string, value: .string).selectKey { _, user in user }
        let d = try joinDriver(
            partitions: ["clicks": 5, "users": 3], [byUser.join(users, named: "enrich") { pair($0, $1) }.to("out")])
        let counts = try d.plan.partitionCounts(existing: ["clicks": 5, "users": 3])
        #expect(counts.topics["joins-enrich-left-repartition"] == 3, "the repartition topic follows the table it is joined with")
        for u in ["u1", "u2", "u3", "u4"] { try d.tableInput("users").pipe(key: u, value: "city-\(u)") }
        for i in 0..<8 { try d.strings("clicks").pipe(key: "click-\(i)", value: "u\(i % 4 + 1)", timestamp: Int64(i)) }
        let joined = try d.output("out", key: .string, value: .string).readRecords()
        #expect(joined.count == 8)
        #expect(joined.allSatisfy { $0.value == "\($0.key)+city-\($0.key)" }, "every click found its user after the repartition")
    }

    @Test func aJoinAfterAKeyChangeNeedsAName() throws {
        let byUser = Stream("clicks", key: .string, value: .string).selectKey { _, user in user }
        #expect(throws: TopologyError.self) {
            _ = try TopologyPlan(applicationID: "joins", pipelines: [byUser.join(users) { pair($0, $1) }.to("out")])
        }
    }

    @Test func joinedTopicsWithDifferentPartitionCountsAreRefusedNamingBoth() throws {
        do {
            _ = try joinDriver(partitions: ["events": 4, "users": 2], [events.join(users) { pair($0, $1) }.to("out")])
            Issue.record("a driver over topics that are not co-partitioned was made")
        } catch let error as TopologyError {
            let message = error.description
            #expect(message.contains("events (4 partitions)") && message.contains("users (2 partitions)"), "\(message)")
        }
    }

    @Test func aGlobalTableJoinsByAKeyPickedFromTheRecordWithoutCopartitioning() throws {
        let countries = GlobalTable("countries", key: .string, value: .string)
        let orders = Stream("orders", key: .string, value: .string)  // value: a country code
        let d = try joinDriver(
            partitions: ["orders": 4, "countries": 1],
            [
                orders.join(countries, named: "with-country", key: { _, code in code }) { order, country in "\(order)@\(country)" }
                    .to("out"),
                orders.leftJoin(countries, named: "with-country-or-none", key: { _, code in code }) { pair($0, $1) }.to("all"),
            ])
        #expect(d.plan.globalTables.map(\.topic) == ["countries"])
        #expect(d.plan.copartitionGroups.isEmpty)
        #expect(d.plan.lookupTableTopics.isEmpty, "a global table is read before the stream threads start, not per task")
        try d.tableInput("countries").pipe(key: "DE", value: "Germany")
        try d.tableInput("countries").pipe(key: "FR", value: "France")
        for (i, code) in ["DE", "FR", "IT", "DE"].enumerated() { try d.strings("orders").pipe(key: "o\(i)", value: code, timestamp: Int64(i)) }
        try d.tableInput("countries").pipe(key: "DE", value: nil)
        try d.strings("orders").pipe(key: "o9", value: "DE", timestamp: 9)
        #expect(try d.output("out", key: .string, value: .string).readValues().sorted() == ["DE@Germany", "DE@Germany", "FR@France"])
        #expect(try d.output("all", key: .string, value: .string).readValues().sorted() == ["DE+-", "DE+Germany", "DE+Germany", "FR+France", "IT+-"])
        #expect(d.globals.stores["countries-global"]?.count == 1)
    }
}
