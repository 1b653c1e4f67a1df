import Foundation
import Sluice
import Testing
import Topologies

/// Clean events for `users` users, user `i % users`, 100 ms apart from a fixed start.
func produceCleanEvents(_ range: Range<Int>, users: Int, bootstrap: String) throws {
    let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)))
    let serde = JSONSerde<CleanEvent>()
    for i in range {
        let user = "u-\(i % users)"
        let event = CleanEvent(
            eventID: "e-\(i)", userID: user, type: "track", name: "Product Clicked", category: "commerce",
            timestamp: 1_714_557_600_000 + Int64(i) * 100, properties: [:], device: nil, locale: nil, app: nil)
        var value: [UInt8] = []
        _ = try serde.serialize(event, into: &value)
        try producer.send(topic: "events", key: Array(user.utf8), value: value)
    }
    try producer.flush(timeout: .seconds(30))
}

/// The truth: events per user for `range`.
func expectedCounts(_ range: Range<Int>, users: Int) -> [String: Int64] {
    var counts: [String: Int64] = [:]
    for i in range { counts["u-\(i % users)", default: 0] += 1 }
    return counts
}

/// Reads `user-event-counts` and keeps the latest count per user.
final class CountReader {
    let reader: TopicReader
    init(bootstrap: String, partitions: Int, isolation: ConsumerConfig.Isolation = .readUncommitted) throws {
        reader = try TopicReader(bootstrap: bootstrap, topic: "user-event-counts", partitions: partitions, isolation: isolation)
    }

    var latest: [String: Int64] {
        var result: [String: Int64] = [:]
        for r in reader.records {
            guard let k = r.key, let v = r.value, v.count == 8 else { continue }
            result[String(decoding: k, as: UTF8.self)] = v.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
        }
        return result
    }

    /// Reads until every user's latest count is at least its truth (or `timeout`).
    func waitFor(_ truth: [String: Int64], timeout: Duration = .seconds(60)) throws -> Bool {
        try reader.read(timeout: timeout) { _ in
            let now = self.latest
            return truth.allSatisfy { now[$0.key, default: 0] >= $0.value }
        }
    }

    /// Waits `pause`, then reads what arrived meanwhile: a count that went past the truth after
    /// reaching it (an event counted twice) shows in `latest` only once read.
    func readLateRecords(after pause: TimeInterval = 0.5) throws {
        Thread.sleep(forTimeInterval: pause)
        _ = try reader.read(timeout: .milliseconds(500)) { _ in false }
    }
}

func temporaryStateDirectory() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

@Suite("State on the embedded broker: changelogs, restores, rebalances", .serialized)
struct StatefulWorkerTests {
    static let users = 40

    /// An embedded broker with a topic `events` of 4 partitions, and two state directories that
    /// are removed afterwards: for tests of two workers.
    func withBrokerAndTwoStateDirectories(_ body: (EmbeddedBroker, String, String) throws -> Void) throws {
        let broker = try EmbeddedBroker()
        try broker.createTopic("events", partitions: 4)
        let dirA = temporaryStateDirectory()
        let dirB = temporaryStateDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: dirA)
            try? FileManager.default.removeItem(atPath: dirB)
        }
        try body(broker, dirA, dirB)
    }

    func config(_ bootstrap: String, _ stateDir: String) -> WorkerConfig {
        WorkerConfig(
            brokers: bootstrap, batchSize: 500, commitInterval: .milliseconds(200), stateDirectory: stateDir,
            properties: ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"])
    }

    @Test func aWipedStateDirectoryIsRebuiltFromTheChangelogToTheSameState() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 4)
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 4)

            try produceCleanEvents(0..<1_000, users: Self.users, bootstrap: broker.bootstrapServers)
            let first = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try first.start(embedded: broker)
            #expect(try counts.waitFor(expectedCounts(0..<1_000, users: Self.users)))
            try first.stop()

            try FileManager.default.removeItem(atPath: stateDir)
            try produceCleanEvents(1_000..<1_500, users: Self.users, bootstrap: broker.bootstrapServers)
            let second = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try second.start(embedded: broker)
            let truth = expectedCounts(0..<1_500, users: Self.users)
            #expect(try counts.waitFor(truth))
            try counts.readLateRecords()
            let restored = second.snapshot.restoredRecords
            try second.stop()
            #expect(restored >= Self.users, "the stores were rebuilt from the changelog (\(restored) records)")
            #expect(counts.latest == truth, "counts continue from the restored state, exactly")
        }
    }

    @Test func aCleanRestartRestoresOnlyTheBufferInMemoryThanksToTheCheckpoint() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 2)
            try broker.createTopic("user-event-counts", partitions: 2)
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 2)
            try produceCleanEvents(0..<600, users: Self.users, bootstrap: broker.bootstrapServers)
            let first = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try first.start(embedded: broker)
            #expect(try counts.waitFor(expectedCounts(0..<600, users: Self.users)))
            try first.stop()
            // The suppression buffer lives in memory (as Kafka Streams'): it, and only it, is
            // replayed from its changelog's start.
            let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: broker.bootstrapServers))
            let buffer = try admin.watermarks("user-activity-final-events-per-user-minute-changelog")
            let buffered = buffer.values.reduce(0) { $0 + Int($1.high - $1.low) }

            try produceCleanEvents(600..<700, users: Self.users, bootstrap: broker.bootstrapServers)
            let second = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try second.start(embedded: broker)
            let truth = expectedCounts(0..<700, users: Self.users)
            #expect(try counts.waitFor(truth))
            let restored = second.snapshot.restoredRecords
            try second.stop()
            #expect(restored == buffered, "RocksDB kept the state and the checkpoint said so: \(restored) records replayed, \(buffered) of them the buffer's")
            #expect(counts.latest == truth)
        }
    }

    @Test func whenOneOfTwoWorkersLeavesTheOtherRestoresItsTasksAndTotalsStayExact() async throws {
        try await blocking {
            try withBrokerAndTwoStateDirectories { broker, dirA, dirB in
                let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 4)
                let a = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, dirA))
                let b = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, dirB))
                try a.start(embedded: broker)
                try b.start(embedded: broker)
                let shared = eventually(timeout: .seconds(40)) { !a.snapshot.tasks.isEmpty && !b.snapshot.tasks.isEmpty }
                #expect(shared, "both workers own tasks: \(a.snapshot.tasks) and \(b.snapshot.tasks)")

                try produceCleanEvents(0..<2_000, users: Self.users, bootstrap: broker.bootstrapServers)
                #expect(try counts.waitFor(expectedCounts(0..<2_000, users: Self.users)))
                try b.stop()

                let tookOver = eventually(timeout: .seconds(40)) { a.snapshot.tasks.count == 4 }
                #expect(tookOver, "the remaining worker runs every task: \(a.snapshot.tasks)")
                try produceCleanEvents(2_000..<3_000, users: Self.users, bootstrap: broker.bootstrapServers)
                let truth = expectedCounts(0..<3_000, users: Self.users)
                #expect(try counts.waitFor(truth))
                try counts.readLateRecords()
                let restored = a.snapshot.restoredRecords
                try a.stop()
                #expect(restored > 0, "the tasks that moved were restored from their changelogs")
                #expect(counts.latest == truth, "totals are exact after the move")
            }
        }
    }

    /// A worker that hands tasks to a newcomer removes their state once `stateCleanupDelay` has
    /// passed, and keeps the state of the tasks it still runs.
    @Test func theStateOfTasksHandedToAnotherWorkerIsRemovedAfterTheDelay() async throws {
        try await blocking {
            try withBrokerAndTwoStateDirectories { broker, dirA, dirB in
                var quick = config(broker.bootstrapServers, dirA)
                quick.stateCleanupDelay = .seconds(1)
                let a = try Worker(plan: UserActivity.plan(), config: quick)
                try a.start(embedded: broker)
                let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 4)
                try produceCleanEvents(0..<1_000, users: Self.users, bootstrap: broker.bootstrapServers)
                #expect(try counts.waitFor(expectedCounts(0..<1_000, users: Self.users)))
                #expect(a.snapshot.tasks.count == 4, "the first worker runs every task: \(a.snapshot.tasks)")

                let b = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, dirB))
                try b.start(embedded: broker)
                let shared = eventually(timeout: .seconds(40)) { !a.snapshot.tasks.isEmpty && !b.snapshot.tasks.isEmpty }
                #expect(shared, "both workers own tasks: \(a.snapshot.tasks) and \(b.snapshot.tasks)")
                Thread.sleep(forTimeInterval: 3)  // the delay, and the next look after it
                let kept = Set(a.snapshot.tasks.map(\.partition))
                try a.stop()
                try b.stop()

                let database = try RocksDBStoreDatabase(
                    path: dirA + "/\(UserActivity.applicationID)/stores", environment: RocksDBEnvironment(expectedInstances: 1))
                let onDisk = try database.ranges()
                #expect(!onDisk.isEmpty && Set(onDisk.map(\.partition)) == kept, "state left on disk: \(onDisk), tasks kept: \(kept.sorted())")
            }
        }
    }

    @Test func afterAResetTheStoresStartEmptySoTheSecondRunCountsTheSame() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 4)
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 4)
            let truth = expectedCounts(0..<1_000, users: Self.users)
            try produceCleanEvents(0..<1_000, users: Self.users, bootstrap: broker.bootstrapServers)

            let first = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try first.start(embedded: broker)
            #expect(try counts.waitFor(truth))
            try first.stop()

            var steps: [String] = []
            let outcome = try ApplicationReset(
                plan: UserActivity.plan(), config: KafkaConfig(bootstrapServers: broker.bootstrapServers), stateDirectory: stateDir
            ).run { steps.append($0) }
            print("reset of user-activity:\n" + (steps + outcome.notes).joined(separator: "\n"))
            #expect(outcome.tombstones >= Self.users, "every counted user's changelog key got a tombstone: \(outcome.tombstones)")
            #expect(outcome.removedState != nil)

            // Without the tombstones the restore would bring the first run's counts back and double them.
            let seen = counts.reader.records.count
            let second = try Worker(plan: UserActivity.plan(), config: config(broker.bootstrapServers, stateDir))
            try second.start(embedded: broker)
            let again = try counts.reader.read(timeout: .seconds(60)) { records in
                var latest: [String: Int64] = [:]
                for r in records.dropFirst(seen) {
                    guard let k = r.key, let v = r.value, v.count == 8 else { continue }
                    latest[String(decoding: k, as: UTF8.self)] = v.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
                }
                return truth.allSatisfy { latest[$0.key, default: 0] >= $0.value }
            }
            try counts.readLateRecords()
            let restored = second.snapshot.restoredRecords
            try second.stop()
            #expect(again, "the second run counted every event again")
            #expect(counts.latest == truth, "and its totals equal the first run's, not twice them")
            print("the second run restored \(restored) changelog records (tombstones included) into empty stores")
        }
    }
}
