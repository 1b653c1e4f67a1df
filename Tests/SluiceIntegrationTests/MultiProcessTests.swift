import Foundation
import Sluice
import Testing
import Topologies

@Suite("Worker processes sharing a standalone embedded broker", .serialized)
struct MultiProcessTests {
    /// librdkafka's defaults wait 10 s for a vanished member; tests need less.
    static let quickGroup = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500"]

    @Test func twoWorkerProcessesOfOneApplicationSplitThePartitions() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["raw-events:8"])
            defer { broker.child.terminate() }
            let args = ["run", "clean-events", "--brokers", broker.bootstrap, "--no-progress"] + Self.quickGroup
            let a = try ChildProcess("worker-a", args)
            let b = try ChildProcess("worker-b", args)
            defer { a.kill(); b.kill() }
            #expect(a.waitForLine { $0.contains("partitions assigned") || $0.contains("worker started") } != nil, "\(a.text)")

            let range = 0..<4_000
            try produceRawEvents(range, bootstrap: broker.bootstrap)
            let expected = expectedIDs(range)
            let output = try TopicReader(bootstrap: broker.bootstrap, topic: "events", partitions: 8)
            let complete = try output.read(timeout: .seconds(90)) { Set(eventIDs($0)).isSuperset(of: expected.valid) }
            #expect(complete, "every valid event reaches the output")
            Thread.sleep(forTimeInterval: 1)  // a commit interval, so the summaries are final

            #expect(a.terminate() == 0, "\(a.text)")
            #expect(b.terminate() == 0, "\(b.text)")
            let fromA = summaryCount(a.text, operator: "raw-events-source") ?? 0
            let fromB = summaryCount(b.text, operator: "raw-events-source") ?? 0
            #expect(fromA > 0 && fromB > 0, "both workers processed part of the input: \(fromA) + \(fromB)")
            #expect(fromA + fromB >= range.count, "together they read everything")
            #expect(a.text.contains("✓ every operator's counts reconcile"), "\(a.text)")
            #expect(b.text.contains("✓ every operator's counts reconcile"), "\(b.text)")
        }
    }

    @Test func aWorkerKilledMidStreamLosesNothingOnceRestarted() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["raw-events:4"])
            defer { broker.child.terminate() }
            let args = ["run", "clean-events", "--brokers", broker.bootstrap, "--no-progress"] + Self.quickGroup
            let first = try ChildProcess("worker-1", args)
            let range = 0..<20_000
            let expected = expectedIDs(range)
            // Input keeps flowing while the worker dies and comes back.
            let producer = Thread {
                for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 1_000) {
                    try? produceRawEvents(chunk..<min(chunk + 1_000, range.upperBound), bootstrap: broker.bootstrap)
                    Thread.sleep(forTimeInterval: 0.25)
                }
            }
            producer.start()
            let output = try TopicReader(bootstrap: broker.bootstrap, topic: "events", partitions: 4)
            _ = try output.read(timeout: .seconds(60)) { $0.count > 2_000 }
            first.kill()
            let seenAtKill = output.records.count
            #expect(seenAtKill > 2_000 && seenAtKill < expected.valid.count, "killed mid-stream, after \(seenAtKill) outputs")

            let second = try ChildProcess("worker-2", args)
            defer { second.kill() }
            let complete = try output.read(timeout: .seconds(120)) { Set(eventIDs($0)).isSuperset(of: expected.valid) }
            let ids = eventIDs(output.records)
            let missing = expected.valid.subtracting(ids)
            #expect(complete && missing.isEmpty, "\(missing.count) valid events never reached the output")
            print("after SIGKILL and restart: \(ids.count) outputs for \(expected.valid.count) valid events (\(ids.count - Set(ids).count) duplicates, allowed at least once)")
            #expect(second.terminate() == 0, "\(second.text)")
        }
    }
}

@Suite("A stateful worker killed with SIGKILL", .serialized)
struct StatefulCrashTests {
    @Test func countsAreNeverBelowTheTruthAfterSIGKILLAndRestart() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["events:4"])
            defer { broker.child.terminate() }
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let args = ["run", "user-activity", "--brokers", broker.bootstrap, "--no-progress", "--state-dir", stateDir,
                        "--commit-interval-ms", "200"] + MultiProcessTests.quickGroup
            let users = 40
            let range = 0..<8_000
            let counts = try CountReader(bootstrap: broker.bootstrap, partitions: 4)
            let first = try ChildProcess("worker-1", args)
            let producer = Thread {
                for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 500) {
                    try? produceCleanEvents(chunk..<min(chunk + 500, range.upperBound), users: users, bootstrap: broker.bootstrap)
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            producer.start()
            _ = try counts.reader.read(timeout: .seconds(60)) { $0.count > 1_500 }
            first.kill()
            #expect(counts.reader.records.count < range.count, "killed mid-stream")

            let second = try ChildProcess("worker-2", args)
            defer { second.kill() }
            let truth = expectedCounts(range, users: users)
            #expect(try counts.waitFor(truth, timeout: .seconds(120)), "every user's count reaches the truth")
            try counts.readLateRecords(after: 1)
            let latest = counts.latest
            let below = truth.filter { latest[$0.key, default: 0] < $0.value }
            let above = truth.filter { latest[$0.key, default: 0] > $0.value }
            #expect(below.isEmpty, "no count is below the truth: \(below)")
            print("after SIGKILL and restart: \(above.count) of \(users) users counted some events twice (allowed at least once)")
            #expect(second.terminate() == 0, "\(second.text)")
        }
    }
}

@Suite("A state directory in use", .serialized)
struct StateDirectoryLockTests {
    /// Every store of a worker lives in one RocksDB database of its state directory, which one
    /// process may open (Kafka Streams has the same rule for its state directory): a second worker
    /// process on it stops at once, saying why, and the first goes on.
    @Test func aSecondWorkerProcessOnAStateDirectoryInUseStopsSayingWhy() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["events:4"])
            defer { broker.child.terminate() }
            let stateDir = temporaryStateDirectory()
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let args = ["run", "user-activity", "--brokers", broker.bootstrap, "--no-progress", "--state-dir", stateDir] + MultiProcessTests.quickGroup
            let first = try ChildProcess("worker-1", args)
            defer { first.kill() }
            #expect(first.waitForLine { $0.contains("worker started") } != nil, "\(first.text)")
            let second = try ChildProcess("worker-2", args)
            defer { second.kill() }
            let status = second.terminateWhenDone(timeout: .seconds(30))
            #expect(status != 0, "the second worker stops with an error: \(second.text)")
            #expect(second.text.contains("is in use by another worker process"), "\(second.text)")
            #expect(first.terminate() == 0, "the first worker was undisturbed: \(first.text)")
        }
    }
}

