import Foundation
public import Logging
public import SluiceTopology

/// Resets an application so that its next run processes its input again, as Kafka Streams'
/// application reset tool does:
///
/// 1. refuses while any worker of the application is alive (per the worker registry);
/// 2. rewinds the group's committed offsets of the input topics (to the earliest offset, or to
///    the first record at or after a time);
/// 3. deletes the internal topics (repartition, changelog) on Kafka; the embedded broker cannot
///    delete topics, so there the committed offsets of repartition topics move to the end instead
///    (old internal records are never processed again) and every changelog key gets a tombstone;
/// 4. removes the application's local state, `<stateDirectory>/<applicationID>`.
///
/// Output topics are left alone, as Kafka Streams leaves them.
/// - Important: blocking; call it from a thread of its own.
public struct ApplicationReset: Sendable {
    /// Where the input offsets go.
    public enum Position: Sendable, Hashable {
        case earliest
        /// Epoch milliseconds: the first record at or after it (the end when there is none).
        case timestamp(Int64)
    }

    /// Why a reset did not start: workers are alive.
    public struct WorkersAlive: Error, Sendable, CustomStringConvertible {
        public var applicationID: String
        public var workers: [WorkerHeartbeat]
        public var description: String {
            let now = epochMillis()
            let list = workers.map { w in
                "\(w.instanceID) on \(w.host) (pid \(w.pid)\(w.url.map { ", \($0)" } ?? ""), heartbeat \(Double(now - w.heartbeatAt) / 1000) s ago)"
            }
            return "\(workers.count) worker(s) of \(applicationID) are alive: \(list.joined(separator: "; ")). "
                + "Stop them first: a reset under a running worker would be undone by its next commit."
        }
    }

    /// What the reset did.
    public struct Outcome: Sendable {
        /// Input partitions and the offsets they were rewound to.
        public var rewound: [TopicPartitionOffset] = []
        /// Internal topics deleted (Kafka).
        public var deletedTopics: [String] = []
        /// Tombstones written to changelogs that could not be deleted (embedded broker).
        public var tombstones = 0
        /// Internal partitions whose committed offsets moved to their end (embedded broker).
        public var skippedToEnd: [TopicPartitionOffset] = []
        /// The state directory removed, if there was one.
        public var removedState: String?
        /// Things a user should know (what the embedded broker could not do, missing topics).
        public var notes: [String] = []
    }

    /// The application to reset (its id is the consumer group).
    public var plan: TopologyPlan
    /// The cluster it runs on.
    public var config: KafkaConfig
    /// The workers' `--state-dir`; `<stateDirectory>/<applicationID>` is removed.
    public var stateDirectory: String
    /// Where the input offsets go. Default: `.earliest`.
    public var position: Position

    /// Describes a reset; `run` performs it.
    public init(plan: TopologyPlan, config: KafkaConfig, stateDirectory: String, position: Position = .earliest) {
        self.plan = plan
        self.config = config
        self.stateDirectory = stateDirectory
        self.position = position
    }

    /// Runs the reset, telling `progress` each step.
    /// - Throws: `WorkersAlive` before touching anything when a worker runs; `KafkaError` otherwise.
    public func run(logger: Logger = .disabled, progress: (String) -> Void = { _ in }) throws -> Outcome {
        let app = plan.applicationID
        progress("checking the registry (\(WorkerRegistry.topic(for: app))) for live workers")
        let live = try WorkerRegistry.liveWorkers(of: app, config: config, logger: logger)
        guard live.isEmpty else { throw WorkersAlive(applicationID: app, workers: live) }

        var outcome = Outcome()
        let admin = try KafkaAdmin.connect(config, logger: logger)
        let existing = Dictionary(uniqueKeysWithValues: try admin.listTopics().map { ($0.name, $0) })
        let internalNames = Set(plan.internalTopics.map(\.name))
        let inputs = plan.inputTopics.filter { !internalNames.contains($0) }
        for t in inputs where existing[t] == nil { outcome.notes.append("input topic \(t) does not exist: nothing to rewind") }
        let inputPartitions = inputs.compactMap { existing[$0] }.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }

        var commits = try targetOffsets(inputPartitions, admin: admin, progress: progress)
        outcome.rewound = commits

        let internalTopics = plan.internalTopics.map(\.name).filter { existing[$0] != nil }
        // Only the application's own changelogs: a table mirroring its source topic must never
        // have that topic deleted or tombstoned (it is the users' data, and an input).
        let changelogs = plan.stores.filter(\.spec.ownsChangelog).map { $0.spec.changelogTopic(applicationID: app) }
            .filter { existing[$0] != nil }
        var deletable: [String] = []
        if admin.canDeleteTopics {
            deletable = internalTopics + changelogs
        } else if !changelogs.isEmpty {
            // Left as they are, changelogs would restore the old state into the removed stores.
            let partitions = changelogs.compactMap { existing[$0] }.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
            let written = try ChangelogTombstones(config: config, logger: logger).write(partitions, progress: progress)
            outcome.tombstones = written.values.reduce(0, +)
            outcome.notes.append(
                "the embedded broker cannot delete topics: changelogs \(changelogs.joined(separator: ", ")) got a tombstone "
                    + "for each of their \(outcome.tombstones) keys instead, so stores restore empty")
        }
        if !internalTopics.isEmpty {
            if !admin.canDeleteTopics {
                let partitions = internalTopics.compactMap { existing[$0] }.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
                let ends = try admin.endOffsets(partitions)
                outcome.skippedToEnd = partitions.sorted().map { TopicPartitionOffset($0, offset: ends[$0] ?? 0) }
                commits += outcome.skippedToEnd
                outcome.notes.append(
                    "the embedded broker cannot delete topics: the committed offsets of internal topics "
                        + "\(internalTopics.joined(separator: ", ")) moved to their end instead, so old internal records are not processed again")
            }
        }

        progress("committing \(commits.count) offsets for group \(app)")
        try admin.commitOffsets(group: app, commits, progress: progress)
        let check = try admin.committedOffsets(group: app, partitions: commits.map(\.topicPartition))
        let wrong = commits.filter { check[$0.topicPartition] != $0.offset }
        guard wrong.isEmpty else {
            throw KafkaError(.offsets, reason: "the group's offsets did not take for \(wrong.map(\.description).joined(separator: ", "))")
        }

        if !deletable.isEmpty {
            progress("deleting internal topics \(deletable.joined(separator: ", "))")
            try admin.deleteTopics(deletable)
            outcome.deletedTopics = deletable
        }

        let state = URL(fileURLWithPath: stateDirectory).appendingPathComponent(app)
        if FileManager.default.fileExists(atPath: state.path) {
            progress("removing local state \(state.path)")
            try FileManager.default.removeItem(at: state)
            outcome.removedState = state.path
        }
        return outcome
    }

    /// The offsets the input partitions go back to.
    private func targetOffsets(
        _ partitions: [TopicPartition], admin: KafkaAdmin, progress: (String) -> Void
    ) throws(KafkaError) -> [TopicPartitionOffset] {
        switch position {
        case .earliest:
            progress("finding the earliest offsets of \(partitions.count) input partitions")
            let starts = try admin.beginningOffsets(partitions)
            return partitions.sorted().map { TopicPartitionOffset($0, offset: starts[$0] ?? 0) }
        case .timestamp(let ms):
            if admin.backend != .kafka {
                progress("the embedded broker cannot look offsets up by time (ListOffsets by timestamp): reading the input partitions instead")
            }
            var told = ContinuousClock.now
            let found = try admin.offsetsForTimes(partitions, timestamp: ms) { p in
                if let found = p.found {
                    progress("  \(p.topicPartition): \(p.scanned) of \(p.total) records read, " + (found.map { "offset \($0)" } ?? "no record at or after the time: the end"))
                } else if ContinuousClock.now - told >= .seconds(1) {
                    progress("  \(p.topicPartition): \(p.scanned) of \(p.total) records read")
                    told = .now
                }
            }
            let missing = partitions.filter { (found[$0] ?? nil) == nil }
            let ends = missing.isEmpty ? [:] : try admin.endOffsets(missing)
            return partitions.sorted().map { tp in TopicPartitionOffset(tp, offset: (found[tp] ?? nil) ?? ends[tp] ?? 0) }
        }
    }
}
