import SluiceTesting
import SluiceTopology
import Testing

@testable import SluiceOperators

private struct Profile: Codable, Equatable {
    var plan: String
}

@Suite("A table whose store mirrors its source topic")
struct MirroredTableStoreTests {
    /// The topic's records, in order: a row, a row with a member its type lacks and odd spacing,
    /// a row no serde reads, a deletion, a row without a timestamp, an update.
    static let records: [(key: String, value: String?, timestamp: Int64?)] = [
        ("u1", #"{"plan":"pro"}"#, 10),
        ("u2", #"{ "plan" : "free", "since": 2019 }"#, 11),
        ("u3", "{broken", 12),
        ("u1", nil, 13),
        ("u4", #"{"plan":"team"}"#, nil),
        ("u2", #"{"plan":"pro"}"#, 15),
    ]
    static let wallClock: Int64 = 99

    func driver(changelog: TableChangelog) throws -> TopologyTestDriver {
        let users = Table("users", key: .string, value: .json(Profile.self), named: "users-table", changelog: changelog)
        let driver = try TopologyTestDriver(plan: TopologyPlan(applicationID: "app", pipelines: [users.toStream().to("out")]))
        driver.advanceWallClock(by: Self.wallClock)
        let input = driver.input("users", key: .string, value: .bytes)
        for r in Self.records {
            // A record without a timestamp: the driver stamps it with its wall clock, as a worker does.
            try input.pipeRaw(key: Array(r.key.utf8), value: r.value.map { Array($0.utf8) }, timestamp: r.timestamp ?? Self.wallClock)
        }
        try driver.commit()
        return driver
    }

    func contents(_ store: StateStore) throws -> [[UInt8]: [UInt8]] {
        var out: [[UInt8]: [UInt8]] = [:]
        try store.scan(from: nil, to: nil) { k, v in
            out[Array(k)] = Array(v)
            return true
        }
        return out
    }

    @Test func itWritesNoChangelogOfItsOwn() throws {
        let own = try driver(changelog: .ownTopic)
        let mirrored = try driver(changelog: .sourceTopic)
        let changelog = "app-users-table-changelog"
        #expect(try own.output(changelog, key: .bytes, value: .bytes.optional).readRecords().count == 3, "one per key of the commit: u1's deletion, u2, u4")
        #expect(try mirrored.output(changelog, key: .bytes, value: .bytes.optional).readRecords().isEmpty)
        let spec = try #require(mirrored.stores(named: "users-table").values.first).spec
        #expect(spec.changelogTopic(applicationID: "app") == "users" && !spec.ownsChangelog)
        #expect(try own.keyValueStore("users-table", key: .string, value: .json(Profile.self))
            == mirrored.keyValueStore("users-table", key: .string, value: .json(Profile.self)))
    }

    @Test func aRestoreFromTheTopicBuildsTheStoreProcessingBuiltByteForByte() throws {
        let processed = try #require(try driver(changelog: .sourceTopic).stores(named: "users-table").values.first)
        let spec = processed.spec
        let restored = StateStore(
            spec: spec, location: StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 0), store: spec.name),
            bytes: InMemoryBytesStore())
        let state = KeyValueState(restored, key: StringSerde(), value: JSONSerde<Profile>())
        TableSourceOperator<String, Profile>.restoresSourceRecords(into: state, wallClock: { Self.wallClock })
        for r in Self.records {
            try Array(r.key.utf8).withUnsafeBytes { key in
                guard let value = r.value else { return try restored.restore(key: key, value: nil, timestamp: r.timestamp) }
                try Array(value.utf8).withUnsafeBytes { try restored.restore(key: key, value: $0, timestamp: r.timestamp) }
            }
        }
        try restored.finishRestore()
        let rows = try contents(restored)
        #expect(rows == (try contents(processed)), "the same keys, timestamps and value bytes")
        #expect(rows.count == 2 && restored.skippedSourceRecords == 1, "u2 and u4; u3's row was skipped as processing dead-lettered it")
        #expect(try state.get(state.storeKey("u4"))?.timestamp == Self.wallClock, "a record without a time gets the wall clock's")
    }
}
