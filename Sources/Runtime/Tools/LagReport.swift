import Foundation
public import Logging
import SluiceOperators
public import SluiceTopology

/// An application's lag: per source partition from the group's committed offsets and the
/// partitions' end offsets (no worker needed), and per operator from the status endpoints of
/// the live workers the registry names. What `sluice lag` prints.
public struct LagReport: Sendable {
    /// What one live worker said, or why it could not be asked.
    public struct Worker: Sendable {
        public var heartbeat: WorkerHeartbeat
        public var status: WorkerStatus?
        public var error: String?
    }

    public var applicationID: String
    /// Every partition of every topic the application reads (inputs and internal topics).
    public var partitions: [PartitionLag]
    /// Source topics that do not exist (yet).
    public var missingTopics: [String]
    public var workers: [Worker]

    public var totalLag: Int64 { partitions.reduce(0) { $0 + $1.lag } }

    /// Measures the lag of `plan`'s application.
    /// - Important: blocking (admin requests, a registry read, HTTP): call it from a thread of its own.
    /// - Throws: `KafkaError` when the cluster cannot be read.
    public static func measure(
        _ plan: TopologyPlan, config: KafkaConfig, httpTimeout: Duration = .seconds(3), logger: Logger = .disabled
    ) throws(KafkaError) -> LagReport {
        let admin = try KafkaAdmin.connect(config, logger: logger)
        let topics = Array(Set(plan.subtopologies.flatMap(\.sourceTopics))).sorted()
        let existing = Dictionary(uniqueKeysWithValues: try admin.listTopics().map { ($0.name, $0) })
        let partitions = topics.compactMap { existing[$0] }.flatMap { t in t.partitions.map { TopicPartition(t.name, $0.id) } }
        let ends = try admin.endOffsets(partitions)
        let committed = try admin.committedOffsets(group: plan.applicationID, partitions: partitions)
        let never = partitions.filter { committed[$0] == nil }
        let starts = never.isEmpty ? [:] : try admin.beginningOffsets(never)
        let lags = partitions.sorted().map { tp in
            let end = ends[tp] ?? 0
            return PartitionLag(
                topic: tp.topic, partition: tp.partition, committedOffset: committed[tp], endOffset: end,
                lag: max(end - (committed[tp] ?? starts[tp] ?? 0), 0))
        }
        let live = try WorkerRegistry.liveWorkers(of: plan.applicationID, config: config, logger: logger)
        return LagReport(
            applicationID: plan.applicationID, partitions: lags, missingTopics: topics.filter { existing[$0] == nil },
            workers: live.map { ask($0, timeout: httpTimeout) })
    }

    /// GETs the worker's `/api/status`.
    private static func ask(_ heartbeat: WorkerHeartbeat, timeout: Duration) -> Worker {
        guard let url = heartbeat.url else {
            return Worker(heartbeat: heartbeat, status: nil, error: "it advertises no URL")
        }
        do {
            let response = try HTTPClient().request("GET", url + "/api/status", timeout: timeout)
            guard response.status == 200 else {
                return Worker(heartbeat: heartbeat, status: nil, error: "\(url)/api/status answered \(response.status)")
            }
            return Worker(heartbeat: heartbeat, status: try JSONDecoder().decode(WorkerStatus.self, from: Data(response.body)), error: nil)
        } catch {
            return Worker(heartbeat: heartbeat, status: nil, error: "\(error)")
        }
    }
}
