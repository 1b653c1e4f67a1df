import Foundation
import Sluice
import Testing
import Topologies

/// `EnrichEvents` with its users table restored from the `users` topic itself.
struct MirroredUsersEnrichment: TopologyDefinition {
    static let applicationID = "enrich-mirrored"
    init() {}

    var body: some Topology {
        let users = Table("users", key: .string, value: .json(UserProfile.self), named: "users-table", changelog: .sourceTopic)

        Stream("events", key: .string, value: .json(CleanEvent.self), timestamp: { _, event, _ in event.timestamp })
            .leftJoin(users, named: "enrich") { event, user in EnrichedEvent(event: event, user: user) }
            .to("enriched-events", value: .json)
    }
}

@Suite("A table restored from its source topic, on the embedded broker", .serialized)
struct SourceTopicChangelogTests {
    static let users = 20

    func config(_ bootstrap: String, _ stateDir: String, _ guarantee: WorkerConfig.Guarantee) -> WorkerConfig {
        WorkerConfig(
            brokers: bootstrap, batchSize: 200, commitInterval: .milliseconds(100), stateDirectory: stateDir, guarantee: guarantee,
            properties: ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"])
    }

    /// Runs a worker until `out` holds `events` enriched events, and stops it.
    func run(
        _ broker: EmbeddedBroker, _ stateDir: String, _ guarantee: WorkerConfig.Guarantee, until events: Int, _ out: EnrichedReader,
        then produce: () throws -> Void
    ) throws -> WorkerSnapshot {
        let worker = try Worker(plan: try MirroredUsersEnrichment.plan(), config: config(broker.bootstrapServers, stateDir, guarantee))
        try worker.start(embedded: broker)
        try produce()
        let done = try out.waitFor(events)
        try worker.stop()
        #expect(done, "\(events) events were enriched (\(out.events.count) so far)")
        return worker.snapshot
    }

    /// Each event's user as the table must hold it: rows of `plan`, but `u-5` kept its row when a
    /// later one could not be read, and `u-7` was deleted.
    func check(_ events: [String: EnrichedEvent], _ range: Range<Int>, plan: (Int) -> String) {
        var wrong: [String] = []
        for i in range {
            let user = i % Self.users
            let expected = user == 7 ? nil : UserProfile(userID: "u-\(user)", plan: plan(i), country: user % 2 == 0 ? "DE" : "FR")
            if events["e-\(i)"]?.user != expected { wrong.append("e-\(i): \(String(describing: events["e-\(i)"]?.user))") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) events carry the wrong user state, e.g. \(wrong.prefix(3))")
    }

    /// Under exactly-once the committed offsets travel in the transactions and the restore reads
    /// read_committed; the counts must come out the same.
    @Test(arguments: [WorkerConfig.Guarantee.atLeastOnce, .exactlyOnce])
    func aTableMirroringItsTopicWritesNoChangelogAndRestoresFromTheTopicAsProcessingBuiltIt(guarantee: WorkerConfig.Guarantee) async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            for t in ["events", "users", "enriched-events"] { try broker.createTopic(t, partitions: 2) }
            let bootstrap = broker.bootstrapServers
            let dirA = temporaryStateDirectory()
            let dirB = temporaryStateDirectory()
            defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
            let out = try EnrichedReader(bootstrap: bootstrap, partitions: 2)
            try produceUsers(0..<Self.users, plan: "free", bootstrap: bootstrap)
            // A row processing cannot read (dead-lettered, u-5 keeps its row) and a deletion.
            let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)))
            try producer.send(topic: "users", key: Array("u-5".utf8), value: Array(#"{"userID":"u-5","plan":"#.utf8))
            try producer.send(topic: "users", key: Array("u-7".utf8), value: nil)
            try producer.flush(timeout: .seconds(10))

            let first = try run(broker, dirA, guarantee, until: 300, out) { try produceCleanEvents(0..<300, users: Self.users, bootstrap: bootstrap) }
            #expect(first.counts["users-table-source"]?.deadLettered == 1, "the unreadable row was dead-lettered")
            let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
            let topics = Set(try admin.listTopics().map(\.name))
            #expect(!topics.contains("enrich-mirrored-users-table-changelog"), "no changelog topic: \(topics.sorted())")

            // A worker with no local state: its table restores from the users topic up to the
            // committed offset (without, it would be empty: the topic is committed to its end), then
            // processes the rows written since, before its events (it reads its tables first).
            try produceUsers(0..<3, plan: "pro", bootstrap: bootstrap)
            let second = try run(broker, dirB, guarantee, until: 600, out) { try produceCleanEvents(300..<600, users: Self.users, bootstrap: bootstrap) }
            #expect(second.restoredRecords == Self.users + 2, "the users topic was read up to the committed offset")
            #expect(second.counts["users-table-source"]?.received == 3, "the rows written since were processed")
            #expect(second.counts["users-table-source"]?.deadLettered == 0, "the restore skipped the unreadable row; nothing dead-lettered again")

            // The worker with state restarts from its checkpoint, the topic's offset when it stopped.
            let third = try run(broker, dirA, guarantee, until: 900, out) { try produceCleanEvents(600..<900, users: Self.users, bootstrap: bootstrap) }
            #expect(third.restoredRecords == 3, "only the rows processed since the checkpoint were restored")

            let events = out.events
            #expect(events.count == 900)
            check(events, 0..<300) { _ in "free" }
            check(events, 300..<900) { i in i % Self.users < 3 ? "pro" : "free" }

            // A reset deletes (here: tombstones) the application's own changelogs, never a source topic.
            let usersPartitions = [TopicPartition("users", 0), TopicPartition("users", 1)]
            let before = try admin.endOffsets(usersPartitions)
            let outcome = try ApplicationReset(plan: try MirroredUsersEnrichment.plan(), config: KafkaConfig(bootstrapServers: bootstrap),
                stateDirectory: "/nonexistent").run { _ in }
            #expect(outcome.tombstones == 0, "\(outcome.notes)")
            #expect(try admin.endOffsets(usersPartitions) == before, "the users topic is as it was")
        }
    }
}
