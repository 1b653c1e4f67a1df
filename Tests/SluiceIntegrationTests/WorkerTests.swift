import Foundation
import Logging
import Sluice
import Testing
import Topologies

@Suite("Workers on the embedded broker")
struct WorkerTests {
    @Test func twoThreadsShareThePartitionsPoisonPillsAreDeadLetteredAndCountsReconcile() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("raw-events", partitions: 6)
            let range = 0..<3_000
            try produceRawEvents(range, bootstrap: broker.bootstrapServers)
            let expected = expectedIDs(range)
            #expect(expected.invalid.count > 30, "the sample input carries poison pills")

            let worker = try Worker(
                plan: CleanEvents.plan(),
                config: WorkerConfig(threads: 2, batchSize: 500, commitInterval: .milliseconds(50)))
            try worker.start(embedded: broker)
            let output = try TopicReader(bootstrap: broker.bootstrapServers, topic: "events", partitions: 6)
            let complete = try output.read(timeout: .seconds(60)) { Set(eventIDs($0)).isSuperset(of: expected.valid) }
            #expect(complete, "every valid event reaches the output")
            let dlq = try TopicReader(bootstrap: broker.bootstrapServers, topic: "clean-events-dlq", partitions: 6)
            _ = try dlq.read(timeout: .seconds(20)) { $0.count >= expected.invalid.count }
            _ = eventually(timeout: .seconds(10)) { (worker.snapshot.counts["raw-events-source"]?.received ?? 0) >= range.count }
            let running = worker.snapshot.threads
            try worker.stop()

            #expect(Set(dlq.records.compactMap { r in r.headers.string(DeadLetterHeaders.offset).map { "\(r.partition)@\($0)" } }).count == expected.invalid.count)
            for r in dlq.records {
                #expect(r.headers.string(DeadLetterHeaders.topic) == "raw-events")
                #expect(r.headers.string(DeadLetterHeaders.error) != nil)
                #expect(r.headers.string(DeadLetterHeaders.offset).flatMap(Int64.init) != nil)
                #expect(r.headers.string(DeadLetterHeaders.partition).flatMap(Int32.init) != nil)
                #expect(r.headers.string(DeadLetterHeaders.timestamp).flatMap(Int64.init) != nil)
            }
            let s = worker.snapshot
            #expect(running.count == 2 && running.values.allSatisfy { !$0.isEmpty }, "both threads own tasks: \(running)")
            #expect(Set(running.values.flatMap { $0 }).count == 6, "six tasks over two threads: \(running)")
            let source = try #require(s.counts["raw-events-source"])
            let validate = try #require(s.counts["validate"])
            // Two threads joining one after the other rebalance the group; a commit the group refuses
            // meanwhile leaves its records to be processed again by their next owner (at-least-once).
            let again = source.received - range.count
            if s.refusedCommits == 0 {
                #expect(again == 0, "a run without refused commits processes each record once")
            } else {
                print("the group refused \(s.refusedCommits) commits while rebalancing: \(again) records processed twice")
            }
            #expect(again >= 0)
            #expect(validate.forwarded + source.deadLettered + validate.deadLettered == source.received)
            #expect(validate.forwarded >= expected.valid.count)
            #expect(source.deadLettered + validate.deadLettered >= expected.invalid.count)
            #expect(s.counts.values.allSatisfy { $0.reconciles })
            #expect(s.lostRecords == 0)
        }
    }

    @Test func aWorkerStopsWithAClearErrorWhenItsInputDoesNotExistOnKafka() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            // Pretend this is Kafka: a bootstrap address only, through a control-less admin.
            let worker = try Worker(plan: CleanEvents.plan(), config: WorkerConfig(brokers: broker.bootstrapServers))
            let error = #expect(throws: (any Error).self) { try worker.start() }
            #expect("\(error!)".contains("control channel") || "\(error!)".contains("raw-events"), "\(error!)")
        }
    }

    /// A topology without stores opens no stores' database: nothing to lock, nothing left behind.
    @Test func aStatelessWorkerLeavesNoStoresDatabaseBehind() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("raw-events", partitions: 4)
            try produceRawEvents(0..<200, bootstrap: broker.bootstrapServers)
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let worker = try Worker(plan: CleanEvents.plan(), config: WorkerConfig(stateDirectory: stateDir))
            try worker.start(embedded: broker)
            #expect(eventually(timeout: .seconds(30)) { (worker.snapshot.counts["raw-events-source"]?.received ?? 0) >= 200 })
            try worker.stop()
            let left = (try? FileManager.default.subpathsOfDirectory(atPath: stateDir)) ?? []
            #expect(!left.contains { $0.split(separator: "/").contains("stores") }, "files left: \(left)")
        }
    }
}
