import Foundation
import Sluice
import Testing

/// A `user-activity` worker under exactly-once, killed with SIGKILL `kills` times while input
/// flows and restarted each time; shared by the embedded-broker and the real-broker suites.
struct ExactlyOnceCrashLoop {
    let bootstrap: String
    let users: Int
    let range: Range<Int>
    let kills: Int
    /// Changes a store may get ahead of its checkpoint (`--checkpoint-changes`).
    let checkpointChanges: Int
    let batchSize = 500

    /// One restore a restarted worker logged: a store's changelog from its checkpoint to its end.
    struct Restore {
        let store: String
        let task: String
        let from: Int64
        let to: Int64
        var records: Int64 { to - from }
    }

    struct Outcome {
        /// Restores logged by each restarted worker (index 0: after the first kill).
        var restores: [[Restore]] = []
        /// Outputs the reader held at each kill.
        var outputsAtKill: [Int] = []
        /// Changelog records at each kill: what a wiped store would have to restore.
        var changelogAtKill: [Int64] = []
        /// The last worker's exit status after SIGTERM, and its output.
        var exitStatus: Int32 = -1
        var lastOutput = ""
    }

    func arguments(_ stateDir: String) -> [String] {
        ["run", "user-activity", "--brokers", bootstrap, "--no-progress", "--state-dir", stateDir, "--guarantee", "exactly-once",
         "--commit-interval-ms", "200", "--batch-size", "\(batchSize)", "--checkpoint-changes", "\(checkpointChanges)",
         "--log-level", "info", "--http-port", "0"] + MultiProcessTests.quickGroup
    }

    /// Runs the loop; `counts` reads `user-event-counts` throughout.
    func run(counts: CountReader, stateDir: String) throws -> Outcome {
        var outcome = Outcome()
        let args = arguments(stateDir)
        var worker = try ChildProcess("worker-0", args)
        let producer = Thread {
            for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 500) {
                try? produceCleanEvents(chunk..<min(chunk + 500, range.upperBound), users: users, bootstrap: bootstrap)
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        producer.start()
        for k in 0..<kills {
            // Kill once this worker has committed some output of its own, and the count store has
            // logged enough changes on some partition that its task must have written a checkpoint
            // (on a loaded machine 1,500 outputs came before any: every restore then replayed all).
            let target = counts.reader.records.count + 1_500
            _ = try counts.reader.read(timeout: .seconds(90)) { $0.count >= target }
            let deadline = ContinuousClock.now + .seconds(60)
            while try longestChangelog(of: "events-per-user") <= Int64(2 * checkpointChanges), ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.2)
            }
            worker.kill()
            if k > 0 { outcome.restores.append(Self.restores(in: worker.text)) }
            outcome.outputsAtKill.append(counts.reader.records.count)
            outcome.changelogAtKill.append(try changelogRecords())
            worker = try ChildProcess("worker-\(k + 1)", args)
        }
        let truth = expectedCounts(range, users: users)
        _ = try counts.waitFor(truth, timeout: .seconds(180))
        try counts.readLateRecords(after: 1)
        outcome.exitStatus = worker.terminate()
        outcome.lastOutput = worker.text
        outcome.restores.append(Self.restores(in: worker.text))
        return outcome
    }

    /// Records in the application's changelogs now: what a wiped store would restore.
    func changelogRecords() throws -> Int64 {
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
        var total: Int64 = 0
        for topic in try admin.listTopics().map(\.name) where topic.hasPrefix("user-activity-") && topic.hasSuffix("-changelog") {
            for marks in try admin.watermarks(topic).values { total += marks.high - marks.low }
        }
        return total
    }

    /// Records on the longest partition of one store's changelog.
    func longestChangelog(of store: String) throws -> Int64 {
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap))
        return try admin.watermarks("user-activity-\(store)-changelog").values.map { $0.high - $0.low }.max() ?? 0
    }

    /// The "restoring store" lines of a worker's log.
    static func restores(in log: String) -> [Restore] {
        log.split(separator: "\n").filter { $0.contains("restoring store") }.compactMap { line in
            func field(_ name: String) -> String? {
                guard let r = line.range(of: name + "=") else { return nil }
                return String(line[r.upperBound...].prefix { !$0.isWhitespace })
            }
            guard let from = field("from").flatMap({ Int64($0) }), let to = field("to").flatMap({ Int64($0) }) else { return nil }
            return Restore(store: field("store") ?? "?", task: field("task") ?? "?", from: from, to: to)
        }
    }

    /// Users whose emitted counts ever fail to rise (a count repeated or going back): an input
    /// processed twice, or state that lost an update.
    static func nonIncreasing(_ reader: TopicReader) -> [String] {
        var last: [String: Int64] = [:]
        var bad: Set<String> = []
        for r in reader.records {
            guard let k = r.key, let v = r.value, v.count == 8 else { continue }
            let user = String(decoding: k, as: UTF8.self)
            let count = v.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
            if let previous = last[user], count <= previous { bad.insert(user) }
            last[user] = count
        }
        return bad.sorted()
    }
}
