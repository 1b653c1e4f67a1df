import Foundation
import SluiceNexmark
import SluiceTesting
import SluiceTopology
import Testing
import Topologies

/// `sluice nexmark run`: Beam's events through a query on an embedded broker, results as lines.
@Suite("sluice nexmark run")
struct NexmarkRunTests {
    @Test func q2WritesExactlyTheBidsOnEvery123rdAuctionAsJSONLines() async throws {
        let events = 20_000
        let run = try ChildProcess("nexmark", ["nexmark", "run", "q2", "--events", "\(events)", "--dump"])
        let status = try await blocking { run.terminateWhenDone(timeout: .seconds(120)) }
        #expect(status == 0, "\(run.text)")
        struct Row: Decodable { var auction: Int64; var price: Int64 }
        let rows = run.text.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONDecoder().decode(Row.self, from: Data($0.utf8))
        }
        #expect(rows.count == (try NexmarkEvents.expectedRows(events)).q2, "one line per bid the generator makes on such an auction")
        #expect(rows.allSatisfy { $0.auction % 123 == 0 })
        #expect(run.text.contains("0 dead-lettered"), "\(run.text.split(separator: "\n").last ?? "")")
    }

    /// Every window q5 closes on a worker (8 partitions of events, read a fetch at a time, through
    /// two repartition topics) holds what the TestDriver finds reading the events in order.
    @Test func q5OnAWorkerAgreesWithTheTestDriverWindowForWindow() async throws {
        let events = 40_000
        let run = try ChildProcess("nexmark", ["nexmark", "run", "q5", "--events", "\(events)", "--partitions", "8", "--dump"])
        let status = try await blocking { run.terminateWhenDone(timeout: .seconds(180)) }
        #expect(status == 0, "\(run.text)")
        #expect(run.text.contains(" 0 dead-lettered"), "\(run.text.split(separator: "\n").suffix(3).joined(separator: "\n"))")
        var worker: [Int64: NexmarkHotAuctions] = [:]
        for line in run.text.split(separator: "\n") where line.hasPrefix("{") {
            let hot = try JSONDecoder().decode(NexmarkHotAuctions.self, from: Data(line.utf8))
            worker[hot.starttime] = hot  // an update stream: the latest per window is the answer
        }

        let driver = try TopologyTestDriver(NexmarkQ5())
        let input = driver.input(NexmarkEvents.topic, key: BytesSerde().optional, value: .nexmark)
        var config = NexmarkConfig()
        config.numEvents = Int64(events)
        for event in try NexmarkGenerator(config: config) {
            try input.pipe(key: nil, value: event, timestamp: event.dateTime.millisecondsSinceEpoch)
        }
        var reference: [Int64: NexmarkHotAuctions] = [:]
        for record in try driver.output("nexmark-q5", key: .int64, value: .json(NexmarkHotAuctions.self)).readRecords() {
            reference[record.key] = record.value
        }
        // The worker stops before its last windows close (they wait for the writers' next
        // watermarks); the reference closes them up to its last event's time.
        print("q5: the worker closed \(worker.count) windows, the TestDriver \(reference.count)")
        #expect(worker.count >= reference.count / 2)
        for (start, hot) in worker.sorted(by: { $0.key < $1.key }) {
            var expected = reference[start]
            expected?.auctions.sort()
            var got = hot
            got.auctions.sort()
            #expect(got == expected, "window starting at \(start)")
        }
    }
}
