import Foundation
import Sluice
import Testing
import Topologies

/// Writes one `UserProfile` row per user `u-0..<users` to `users`, with `plan`.
func produceUsers(_ users: Range<Int>, plan: String, bootstrap: String) throws {
    let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)))
    for i in users {
        var value: [UInt8] = []
        _ = try JSONSerde<UserProfile>().serialize(UserProfile(userID: "u-\(i)", plan: plan, country: i % 2 == 0 ? "DE" : "FR"), into: &value)
        try producer.send(topic: "users", key: Array("u-\(i)".utf8), value: value)
    }
    try producer.flush(timeout: .seconds(30))
}

/// Reads `enriched-events`: the enriched events by event id (a re-delivered event keeps one entry).
final class EnrichedReader {
    let reader: TopicReader
    init(bootstrap: String, partitions: Int) throws {
        reader = try TopicReader(bootstrap: bootstrap, topic: "enriched-events", partitions: partitions)
    }

    var events: [String: EnrichedEvent] {
        var result: [String: EnrichedEvent] = [:]
        for r in reader.records {
            guard let e = r.value.flatMap({ v in v.withUnsafeBytes { try? JSONSerde<EnrichedEvent>().deserialize($0) } }) else { continue }
            result[e.event.eventID] = e
        }
        return result
    }

    func waitFor(_ count: Int, timeout: Duration = .seconds(60)) throws -> Bool {
        try reader.read(timeout: timeout) { _ in self.events.count >= count }
    }
}

@Suite("Joins on the embedded broker", .serialized)
struct JoinWorkerTests {
    static let users = 40

    func config(_ bootstrap: String, _ stateDir: String, threads: Int = 1) -> WorkerConfig {
        WorkerConfig(
            brokers: bootstrap, threads: threads, batchSize: 500, commitInterval: .milliseconds(200), stateDirectory: stateDir,
            properties: ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"])
    }

    /// Records the users-table node took in, over every thread of `workers`.
    func usersRead(_ workers: [Worker]) -> Int { workers.map { $0.snapshot.counts["users-table"]?.received ?? 0 }.reduce(0, +) }

    /// The users table keeps a changelog of its own, or restores from the `users` topic itself.
    @Test(arguments: [TableChangelog.ownTopic, .sourceTopic])
    func enrichmentAcrossTwoWorkersStaysExactWhenOneLeaves(usersChangelog: TableChangelog) async throws {
        let plan = try usersChangelog == .ownTopic ? EnrichEvents.plan() : MirroredUsersEnrichment.plan()
        try await blocking {
            let broker = try EmbeddedBroker()
            for t in ["events", "users", "enriched-events"] { try broker.createTopic(t, partitions: 4) }
            let dirA = temporaryStateDirectory()
            let dirB = temporaryStateDirectory()
            defer {
                try? FileManager.default.removeItem(atPath: dirA)
                try? FileManager.default.removeItem(atPath: dirB)
            }
            let out = try EnrichedReader(bootstrap: broker.bootstrapServers, partitions: 4)
            try produceUsers(0..<Self.users, plan: "free", bootstrap: broker.bootstrapServers)
            // Two workers of two threads each: four consumers share four partitions of each topic.
            let a = try Worker(plan: plan, config: config(broker.bootstrapServers, dirA, threads: 2))
            let b = try Worker(plan: plan, config: config(broker.bootstrapServers, dirB, threads: 2))
            try a.start(embedded: broker)
            try b.start(embedded: broker)
            let shared = eventually(timeout: .seconds(40)) {
                a.snapshot.tasks.count + b.snapshot.tasks.count == 4 && !a.snapshot.tasks.isEmpty && !b.snapshot.tasks.isEmpty
            }
            #expect(shared, "both workers own tasks: \(a.snapshot.threads) and \(b.snapshot.threads)")
            // Co-partitioned topics stay together: a task exists once, on one thread, whatever the
            // number of consumers (a task split over two members would be opened by both).
            let owned = (a.snapshot.threads.values.flatMap { $0 } + b.snapshot.threads.values.flatMap { $0 })
            #expect(owned.count == Set(owned).count && Set(owned).count == 4, "each task runs exactly once: \(owned)")
            // At least once: a rebalance while the workers start re-reads what was not committed
            // (53 of 40 in one run), so every row read is the bar, not an exact count.
            #expect(eventually(timeout: .seconds(30)) { usersRead([a, b]) >= Self.users }, "the users table was read: \(usersRead([a, b]))")

            try produceCleanEvents(0..<1_000, users: Self.users, bootstrap: broker.bootstrapServers)
            #expect(try out.waitFor(1_000))
            // More events, in flight while one worker leaves and the group rebalances.
            try produceCleanEvents(1_000..<1_500, users: Self.users, bootstrap: broker.bootstrapServers)
            try b.stop()
            #expect(eventually(timeout: .seconds(40)) { a.snapshot.tasks.count == 4 }, "the remaining worker runs every task: \(a.snapshot.tasks)")
            #expect(try out.waitFor(1_500))
            // Events the leaving worker processed but could not commit come again from the one
            // that stays (at-least-once); they must be through before the users change, or they
            // would join the new plans: wait until the remaining worker has been idle a while.
            var last = (count: a.processedRecords, at: ContinuousClock.now)
            #expect(eventually(timeout: .seconds(40)) {
                if a.processedRecords != last.count { last = (a.processedRecords, .now) }
                return ContinuousClock.now - last.at >= .seconds(3)
            }, "the remaining worker went idle")

            // The users table moved with its tasks (restored from its changelog or topic); then users change.
            let before = usersRead([a])
            try produceUsers(0..<10, plan: "pro", bootstrap: broker.bootstrapServers)
            #expect(eventually(timeout: .seconds(30)) { usersRead([a]) >= before + 10 }, "the updates were read")
            try produceCleanEvents(1_500..<2_500, users: Self.users, bootstrap: broker.bootstrapServers)
            #expect(try out.waitFor(2_500))
            let restored = a.snapshot.restoredRecords
            try a.stop()

            let events = out.events
            #expect(events.count == 2_500, "every event was enriched and written")
            var wrong: [String] = []
            for (id, e) in events {
                let i = Int(id.dropFirst(2))!
                let user = i % Self.users
                let plan = i >= 1_500 && user < 10 ? "pro" : "free"
                if e.user != UserProfile(userID: "u-\(user)", plan: plan, country: user % 2 == 0 ? "DE" : "FR") { wrong.append(id) }
            }
            #expect(wrong.isEmpty, "\(wrong.count) events carry the wrong user state, e.g. \(wrong.prefix(3))")
            #expect(restored > 0, "the moved tasks restored their users-table store (\(usersChangelog))")
        }
    }

    /// Three single-thread workers over four partitions: a round-robin assignor would give
    /// `events-2` and `users-2` to different members here; the range assignor must not. The topics
    /// are full before the workers start, so each task must read its table partition before its
    /// events (a task that joined events first would write them without their user).
    @Test func threeWorkersKeepCoPartitionedTopicsTogetherAndReadTheTableFirst() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            for t in ["events", "users", "enriched-events"] { try broker.createTopic(t, partitions: 4) }
            let dirs = (0..<3).map { _ in temporaryStateDirectory() }
            defer { for d in dirs { try? FileManager.default.removeItem(atPath: d) } }
            let out = try EnrichedReader(bootstrap: broker.bootstrapServers, partitions: 4)
            try produceUsers(0..<Self.users, plan: "free", bootstrap: broker.bootstrapServers)
            try produceCleanEvents(0..<600, users: Self.users, bootstrap: broker.bootstrapServers)
            let workers = try dirs.map { try Worker(plan: EnrichEvents.plan(), config: config(broker.bootstrapServers, $0)) }
            for w in workers { try w.start(embedded: broker) }
            defer { for w in workers { try? w.stop() } }
            let spread = eventually(timeout: .seconds(40)) {
                workers.allSatisfy { !$0.snapshot.tasks.isEmpty } && workers.map { $0.snapshot.tasks.count }.reduce(0, +) == 4
            }
            #expect(spread, "every worker owns tasks: \(workers.map { $0.snapshot.threads })")
            var partitionNumbers: [Int32] = []
            for w in workers {
                for (thread, assigned) in w.snapshot.assignments {
                    let events = assigned.filter { $0.topic == "events" }.map(\.partition)
                    let users = assigned.filter { $0.topic == "users" }.map(\.partition)
                    #expect(!events.isEmpty && events == users, "thread \(thread) holds events \(events) and users \(users)")
                    partitionNumbers += events
                }
            }
            #expect(partitionNumbers.sorted() == [0, 1, 2, 3], "each partition number on exactly one thread: \(partitionNumbers)")
            #expect(try out.waitFor(600))
            let events = out.events
            let unenriched = events.values.filter { $0.user == nil }.map(\.event.eventID)
            #expect(events.count == 600)
            #expect(unenriched.isEmpty, "\(unenriched.count) events were joined before their user's row was read, e.g. \(unenriched.prefix(3))")
            let wrong = events.values.filter { e in e.user.map { $0.userID != e.event.userID || $0.plan != "free" } ?? false }
            #expect(wrong.isEmpty, "\(wrong.count) events carry another user's row")
        }
    }

    @Test func joinedTopicsWithDifferentPartitionCountsStopTheWorkerAtStartNamingBoth() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 4)
            try broker.createTopic("users", partitions: 2)
            let dir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let worker = try Worker(plan: EnrichEvents.plan(), config: config(broker.bootstrapServers, dir))
            do {
                try worker.start(embedded: broker)
                Issue.record("a worker started over topics that are not co-partitioned")
                try worker.stop()
            } catch {
                let message = "\(error)"
                #expect(message.contains("events (4 partitions)") && message.contains("users (2 partitions)"), "\(message)")
            }
        }
    }

    @Test func aGlobalTableIsReadBeforeProcessingAndFollowedAfterwards() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("orders", partitions: 3)
            try broker.createTopic("countries", partitions: 1)
            try broker.createTopic("orders-with-country", partitions: 3)
            let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: broker.bootstrapServers)))
            for (code, name) in [("DE", "Germany"), ("FR", "France")] {
                try producer.send(topic: "countries", key: Array(code.utf8), value: Array(name.utf8))
            }
            try producer.flush(timeout: .seconds(10))
            let countries = GlobalTable("countries", key: .string, value: .string)
            let pipeline = Stream("orders", key: .string, value: .string)
                .join(countries, named: "with-country", key: { _, code in code }) { order, country in "\(order):\(country)" }
                .to("orders-with-country")
            let plan = try TopologyPlan(applicationID: "global-join", pipelines: [pipeline])
            let dir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let worker = try Worker(plan: plan, config: config(broker.bootstrapServers, dir))
            try worker.start(embedded: broker)
            // Orders written at once join: the table was read before the worker processed anything.
            for i in 0..<30 { try producer.send(topic: "orders", key: Array("o\(i)".utf8), value: Array((i % 2 == 0 ? "DE" : "FR").utf8)) }
            try producer.send(topic: "countries", key: Array("IT".utf8), value: Array("Italy".utf8))
            try producer.flush(timeout: .seconds(10))
            let reader = try TopicReader(bootstrap: broker.bootstrapServers, topic: "orders-with-country", partitions: 3)
            #expect(try reader.read(timeout: .seconds(60)) { $0.count >= 30 })
            // A row added later reaches the joins once the global thread has read it.
            var joinedItaly = false
            for i in 0..<40 where !joinedItaly {
                try producer.send(topic: "orders", key: Array("late\(i)".utf8), value: Array("IT".utf8))
                try producer.flush(timeout: .seconds(10))
                joinedItaly = try reader.read(timeout: .milliseconds(500)) { records in
                    records.contains { $0.value.map { String(decoding: $0, as: UTF8.self).hasSuffix(":Italy") } ?? false }
                }
            }
            try worker.stop()
            let values = reader.records.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }
            #expect(values.prefix(30).allSatisfy { $0.hasSuffix(":Germany") || $0.hasSuffix(":France") }, "\(values.prefix(30))")
            #expect(joinedItaly, "an update of the global topic reached the join")
        }
    }
}
