import Foundation
import Sluice
import Testing

/// Issue 6, items 2 and 4: a worker under exactly-once killed with SIGKILL on the embedded broker.
@Suite("An exactly-once worker killed with SIGKILL", .serialized)
struct ExactlyOnceCrashTests {
    @Test func itRestartsFromItsCheckpointWithoutAWipeAndNoCountFallsBelowTheTruth() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["events:4"])
            defer { broker.child.terminate() }
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let loop = ExactlyOnceCrashLoop(bootstrap: broker.bootstrap, users: 1_000, range: 0..<12_000, kills: 1, checkpointChanges: 300)
            let counts = try CountReader(bootstrap: broker.bootstrap, partitions: 4, isolation: .readCommitted)
            let outcome = try loop.run(counts: counts, stateDir: stateDir)
            #expect(outcome.exitStatus == 0, "\(outcome.lastOutput)")

            // Item 2: RocksDB held only committed state, and the checkpoint named its changelog
            // position: the restart replays from the checkpoint, not the whole changelog.
            let restores = try #require(outcome.restores.first)
            let replayed = restores.reduce(0) { $0 + $1.records }
            let changelog = try #require(outcome.changelogAtKill.first)
            print("after SIGKILL: \(restores.count) store restores replayed \(replayed) of \(changelog) changelog records: \(restores.map { "\($0.store)@\($0.task) \($0.from)..<\($0.to)" })")
            // Per store: the changes allowed past the checkpoint, one more commit's worth, and the
            // killed transaction's records (which the mock does not hide from the restore). The
            // suppression buffer lives in memory and is restored from its start by design.
            let bound = Int64(loop.checkpointChanges + 2 * loop.batchSize)
            let persistent = restores.filter { $0.store != "final-events-per-user-minute" }
            #expect(persistent.allSatisfy { $0.records <= bound }, "each restore is bounded by \(bound) records")
            // A store whose changelog outgrew that bound had a checkpoint: none was wiped.
            #expect(persistent.filter { $0.to > bound }.allSatisfy { $0.from > 0 }, "long changelogs restore from a checkpoint")
            #expect(changelog > 1_000, "the changelogs are long enough for a wipe to show")
            #expect(replayed < changelog, "less than the whole changelog is replayed")

            let truth = expectedCounts(loop.range, users: loop.users)
            let latest = counts.latest
            let below = truth.filter { latest[$0.key, default: 0] < $0.value }
            let above = truth.filter { latest[$0.key, default: 0] > $0.value }
            #expect(below.isEmpty, "no count falls below the truth: \(below.count) users do")
            // librdkafka 2.0.2's mock stores no transactional offsets and hides no aborted or open
            // transaction from read_committed readers (DESIGN.md §4): the killed transaction's
            // changelog records are restored and its input is read again, so a count may exceed
            // the truth here. The real-broker suite (SLUICE_TEST_BROKERS) asserts exact counts.
            print("embedded broker limit: \(above.count) of \(loop.users) counts exceed the truth after SIGKILL (the mock neither stores transactional offsets nor filters the killed transaction); exactness is proven only against a real Kafka")
        }
    }
}
