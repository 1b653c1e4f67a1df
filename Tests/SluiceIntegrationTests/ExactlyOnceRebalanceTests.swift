import Foundation
import Sluice
import Testing
import Topologies

/// Exactly-once across a rebalance: a second worker joins, the first commits its transaction on
/// revocation and hands its tasks over; each worker's threads have transactional ids of their own.
@Suite("Exactly-once across a rebalance on the embedded broker", .serialized)
struct ExactlyOnceRebalanceTests {
    @Test func aSecondWorkerJoinsAndEveryCountStaysExact() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("events", partitions: 4)
            let dirA = temporaryStateDirectory(), dirB = temporaryStateDirectory()
            defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
            let counts = try CountReader(bootstrap: broker.bootstrapServers, partitions: 4, isolation: .readCommitted)
            let tests = ExactlyOnceTests()
            let a = try Worker(plan: UserActivity.plan(), config: tests.config(broker.bootstrapServers, dirA))
            try a.start(embedded: broker)
            try produceCleanEvents(0..<600, users: 40, bootstrap: broker.bootstrapServers)
            #expect(try counts.waitFor(expectedCounts(0..<600, users: 40)))

            let b = try Worker(plan: UserActivity.plan(), config: tests.config(broker.bootstrapServers, dirB))
            try b.start(embedded: broker)
            #expect(a.transactionalID(thread: 0) != b.transactionalID(thread: 0))
            #expect(eventually(timeout: .seconds(30)) { !b.snapshot.tasks.isEmpty && a.snapshot.tasks.count < 4 }, "the tasks are shared")
            try produceCleanEvents(600..<1_200, users: 40, bootstrap: broker.bootstrapServers)
            let truth = expectedCounts(0..<1_200, users: 40)
            #expect(try counts.waitFor(truth))
            try counts.readLateRecords()
            let (sa, sb) = (a.snapshot, b.snapshot)
            try b.stop()
            try a.stop()
            print("rebalance under exactly-once: worker A \(sa.transactions) transactions, \(sa.aborts) aborts; worker B \(sb.transactions), \(sb.aborts)")
            #expect(a.failure == nil && b.failure == nil, "neither worker was fenced by the other")
            #expect(sb.transactions > 0, "the joining worker commits transactions of its own")
            #expect(counts.latest == truth, "every count is exact across the handover")
        }
    }
}
