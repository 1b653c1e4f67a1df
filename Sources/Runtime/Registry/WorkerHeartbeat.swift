import Foundation

/// What a live worker says about itself, every few seconds, on `<applicationID>-workers`
/// (a compacted topic keyed by instance id; an empty value says the worker left).
///
/// Workers know each other only through Kafka (DESIGN.md §4): librdkafka exposes no custom member
/// metadata, so this is how a tool, or interactive queries, find a worker and its URL.
public struct WorkerHeartbeat: Sendable, Hashable, Codable {
    /// The worker's unique name (`ObservabilityConfig.instanceID`), also the record key.
    public var instanceID: String
    public var applicationID: String
    /// Where its HTTP endpoints are (`/`, `/metrics`, `/api/status`); `nil` before it listens.
    public var url: String?
    public var host: String
    public var pid: Int32
    /// When the worker started, in epoch milliseconds.
    public var startedAt: Int64
    /// When this heartbeat was written, in epoch milliseconds.
    public var heartbeatAt: Int64
    /// How often the worker writes one, in milliseconds (liveness is judged against it).
    public var intervalMs: Int64
    /// The tasks it runs, as `subtopology_partition`.
    public var tasks: [String]
    /// The tasks it holds but still restores from their changelogs (`nil` from workers that predate it).
    public var restoringTasks: [String]?

    public init(
        instanceID: String, applicationID: String, url: String?, host: String, pid: Int32, startedAt: Int64,
        heartbeatAt: Int64, intervalMs: Int64, tasks: [String], restoringTasks: [String]? = nil
    ) {
        self.instanceID = instanceID
        self.applicationID = applicationID
        self.url = url
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.intervalMs = intervalMs
        self.tasks = tasks
        self.restoringTasks = restoringTasks
    }

    /// Whether the worker counts as alive at `now` (epoch ms): its last heartbeat is younger than
    /// `missed` intervals.
    public func isLive(at now: Int64, missed: Int64 = 3) -> Bool {
        now - heartbeatAt <= max(intervalMs, 1) * missed
    }
}

/// Epoch milliseconds now.
func epochMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
