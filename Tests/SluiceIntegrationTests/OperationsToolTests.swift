import Foundation
import Sluice
import Testing
import Topologies

/// `sluice lag` and `sluice reset` against `sluice broker` and `sluice run` processes.
@Suite("sluice lag and sluice reset", .serialized)
struct OperationsToolTests {
    static let quickGroup = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500"]

    static func worker(_ broker: BrokerProcess, stateDir: String? = nil, name: String = "worker") throws -> ChildProcess {
        var args = ["run", "clean-events", "--brokers", broker.bootstrap, "--no-progress", "--http-port", "0",
                    "--commit-interval-ms", "200"] + quickGroup
        if let stateDir { args += ["--state-dir", stateDir] }
        return try ChildProcess(name, args)
    }

    /// The `events` records, per partition, in order: key and decoded event.
    static func outputs(_ reader: TopicReader) -> [Int32: [(key: String, event: CleanEvent)]] {
        var result: [Int32: [(key: String, event: CleanEvent)]] = [:]
        for r in reader.records {
            guard let v = r.value, let e = v.withUnsafeBytes({ try? JSONSerde<CleanEvent>().deserialize($0) }) else { continue }
            result[r.partition, default: []].append((String(decoding: r.key ?? [], as: UTF8.self), e))
        }
        return result
    }

    @Test func lagShowsEachPartitionsLagWithoutWorkersAndEachOperatorsWithOne() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["raw-events:4"])
            defer { broker.child.terminate() }
            let range = 0..<1_200
            try produceRawEvents(range, bootstrap: broker.bootstrap)

            let before = try runSluice(["lag", "clean-events", "--brokers", broker.bootstrap])
            #expect(before.status == 0, "\(before.output)")
            let rows = lagRows(before.output, topic: "raw-events")
            #expect(rows.map(\.partition) == [0, 1, 2, 3], "one row per partition:\n\(before.output)")
            #expect(rows.allSatisfy { $0.committed == nil && $0.lag == $0.end }, "nothing committed: all of it is lag")
            #expect(rows.map(\.lag).reduce(0, +) == Int64(range.count), "\(before.output)")
            #expect(before.output.contains("live workers: 0"))

            let worker = try Self.worker(broker)
            defer { worker.kill() }
            let output = try TopicReader(bootstrap: broker.bootstrap, topic: "events", partitions: 4)
            let valid = expectedIDs(range).valid
            #expect(try output.read(timeout: .seconds(60)) { Set(eventIDs($0)).isSuperset(of: valid) }, "\(worker.text)")
            var during = (status: Int32(-1), output: "")
            let caughtUp = try eventually(timeout: .seconds(15)) {
                during = try runSluice(["lag", "clean-events", "--brokers", broker.bootstrap])
                let rows = lagRows(during.output, topic: "raw-events")
                return rows.count == 4 && rows.allSatisfy { $0.lag == 0 } && during.output.contains("live workers: 1")
                    && during.output.contains("raw-events-source")
            }
            #expect(caughtUp, "lag 0 once consumed, and the live worker's operators:\n\(during.output)")
            let sourceRow = during.output.split(separator: "\n").first { $0.hasPrefix("raw-events-source ") }
            #expect(sourceRow?.split(separator: " ").contains("\(range.count)") == true, "the source received every record: \(sourceRow ?? "")")
            print("sluice lag with a live worker:\n\(during.output)")
            #expect(worker.terminate() == 0, "\(worker.text)")
        }
    }

    @Test func resetRefusesWhileAWorkerIsAliveAndProceedsOnceItStopped() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["raw-events:4"])
            defer { broker.child.terminate() }
            try produceRawEvents(0..<200, bootstrap: broker.bootstrap)
            let worker = try Self.worker(broker)
            defer { worker.kill() }
            let config = KafkaConfig(bootstrapServers: broker.bootstrap)
            let registered = try eventually(timeout: .seconds(30)) {
                try !WorkerRegistry.liveWorkers(of: "clean-events", config: config).isEmpty
            }
            #expect(registered, "the worker's heartbeat reaches the registry:\n\(worker.text)")

            let refused = try runSluice(["reset", "clean-events", "--brokers", broker.bootstrap])
            #expect(refused.status != 0, "refused with a non-zero status")
            #expect(refused.output.contains("refused") && refused.output.contains("alive"), "\(refused.output)")
            #expect(!refused.output.contains("rewound"), "nothing was touched")

            #expect(worker.terminate() == 0, "\(worker.text)")
            // A stopping worker writes a tombstone, so the reset need not wait for its heartbeat to age.
            let after = try runSluice(["reset", "clean-events", "--brokers", broker.bootstrap])
            #expect(after.status == 0, "\(after.output)")
            #expect(after.output.contains("rewound raw-events[0] to offset 0"), "\(after.output)")
        }
    }

    @Test func resetThenASecondRunReproducesTheFirstRunsOutput() async throws {
        try await blocking {
            let broker = try BrokerProcess(topics: ["raw-events:4"])
            defer { broker.child.terminate() }
            let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-state-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: stateDir) }
            let range = 0..<1_500
            try produceRawEvents(range, bootstrap: broker.bootstrap)
            let valid = expectedIDs(range).valid

            let first = try Self.worker(broker, stateDir: stateDir, name: "first")
            defer { first.kill() }
            let output = try TopicReader(bootstrap: broker.bootstrap, topic: "events", partitions: 4)
            #expect(try output.read(timeout: .seconds(60)) { Set(eventIDs($0)).isSuperset(of: valid) }, "\(first.text)")
            Thread.sleep(forTimeInterval: 0.5)
            #expect(first.terminate() == 0, "\(first.text)")
            _ = try output.read(timeout: .seconds(1)) { _ in false }  // anything still in flight
            let firstRun = Self.outputs(output)
            let firstCount = output.records.count
            #expect(firstCount == valid.count, "the first run wrote each valid event once")

            // Local state of the application, to be removed (tasks' stores live under it).
            let taskState = URL(fileURLWithPath: stateDir).appendingPathComponent("clean-events/0_0")
            try FileManager.default.createDirectory(at: taskState, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: taskState.appendingPathComponent("marker").path, contents: Data("x".utf8))

            let reset = try runSluice(["reset", "clean-events", "--brokers", broker.bootstrap, "--state-dir", stateDir])
            print("sluice reset:\n\(reset.output)")
            #expect(reset.status == 0, "\(reset.output)")
            for p in 0..<4 { #expect(reset.output.contains("rewound raw-events[\(p)] to offset 0"), "\(reset.output)") }
            #expect(reset.output.contains("removed local state"), "\(reset.output)")
            #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: stateDir).appendingPathComponent("clean-events").path))
            print("clean-events has no internal topics: the embedded broker's lack of DeleteTopics is not exercised by this run")

            let lag = try runSluice(["lag", "clean-events", "--brokers", broker.bootstrap])
            let rows = lagRows(lag.output, topic: "raw-events")
            #expect(rows.count == 4 && rows.allSatisfy { $0.committed == 0 && $0.lag == $0.end }, "all input is lag again:\n\(lag.output)")

            let second = try Self.worker(broker, stateDir: stateDir, name: "second")
            defer { second.kill() }
            #expect(try output.read(timeout: .seconds(60)) { $0.count >= 2 * firstCount }, "\(second.text)")
            Thread.sleep(forTimeInterval: 0.5)
            #expect(second.terminate() == 0, "\(second.text)")
            _ = try output.read(timeout: .seconds(1)) { _ in false }
            #expect(output.records.count == 2 * firstCount, "the second run wrote as much as the first, no more")

            let both = Self.outputs(output)
            for (partition, records) in firstRun {
                let again = Array((both[partition] ?? []).dropFirst(records.count))
                #expect(again.count == records.count, "partition \(partition): \(again.count) records in the second run, \(records.count) in the first")
                // Within an output partition, records of different input partitions interleave as
                // batches happen to come: compare as sets (event ids are unique), key and value alike.
                let byID = { (list: [(key: String, event: CleanEvent)]) in list.sorted { $0.event.eventID < $1.event.eventID } }
                let same = zip(byID(records), byID(again)).allSatisfy { $0.key == $1.key && $0.event == $1.event }
                #expect(same, "partition \(partition): the second run wrote the same records as the first")
            }
        }
    }
}
