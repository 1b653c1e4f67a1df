import Foundation
import Sluice
import Testing

/// Issue 6, item 5: exactly-once against a real Kafka cluster at `SLUICE_TEST_BROKERS` (see
/// README, "Exactly-once against a real Kafka"; `deploy/docker-compose.kafka.yml` starts one).
/// Without it the suite prints that it is skipped and why; it never passes silently.
@Suite("Exactly-once against a real Kafka (SLUICE_TEST_BROKERS)", .serialized)
struct ExactlyOnceRealBrokerTests {
    static let brokers = ProcessInfo.processInfo.environment["SLUICE_TEST_BROKERS"].flatMap { $0.isEmpty ? nil : $0 }

    @Test(.enabled(if: brokers != nil, "SLUICE_TEST_BROKERS is not set: no real Kafka to prove exactly-once against"))
    func aSIGKILLLoopWhileInputFlowsLeavesEveryCountExactForReadCommittedReaders() async throws {
        let bootstrap = try #require(Self.brokers)
        try await blocking {
            try Self.freshTopics(bootstrap)
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let loop = ExactlyOnceCrashLoop(bootstrap: bootstrap, users: 1_000, range: 0..<30_000, kills: 4, checkpointChanges: 100)
            let counts = try CountReader(bootstrap: bootstrap, partitions: 4, isolation: .readCommitted)
            let outcome = try loop.run(counts: counts, stateDir: stateDir)
            #expect(outcome.exitStatus == 0, "\(outcome.lastOutput)")
            print("real Kafka: \(loop.kills) SIGKILLs at \(outcome.outputsAtKill) outputs; restores per restart: \(outcome.restores.map { $0.reduce(0) { $0 + $1.records } })")

            let truth = expectedCounts(loop.range, users: loop.users)
            let latest = counts.latest
            let wrong = truth.filter { latest[$0.key, default: 0] != $0.value }
            #expect(wrong.isEmpty, "every count is exact: \(wrong.count) of \(loop.users) are not, e.g. \(wrong.prefix(5).map { "\($0.key): \(latest[$0.key, default: 0]) ≠ \($0.value)" })")
            // Each emitted count of a user must rise: a repeat or a fall is an input counted twice
            // or a committed update lost, which read_committed readers must never see.
            let repeated = ExactlyOnceCrashLoop.nonIncreasing(counts.reader)
            #expect(repeated.isEmpty, "every input is counted exactly once: \(repeated.count) users' counts repeat or fall")
            let bound = Int64(loop.checkpointChanges + 2 * loop.batchSize)
            #expect(outcome.restores.flatMap { $0 }.allSatisfy { $0.records <= bound }, "every restore is bounded by \(bound) records: no restart wiped a store")
        }
    }

    /// Deletes what an earlier run left (the topology's topics, internal topics and, with them,
    /// the group's offsets), then creates the input topic.
    static func freshTopics(_ bootstrap: String) throws {
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
        let old = try admin.listTopics().map(\.name).filter { $0 == "events" || $0 == "user-event-counts" || $0.hasPrefix("user-activity-") }
        if !old.isEmpty { try admin.deleteTopics(old) }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                try admin.createTopics([NewTopic("events", partitions: 4)])
                return
            } catch {
                // Kafka deletes topics in the background: creating one again fails until it is gone.
                guard ContinuousClock.now < deadline else { throw error }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }
}
