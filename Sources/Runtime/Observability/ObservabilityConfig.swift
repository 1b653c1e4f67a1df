public import CoreMetrics
import Foundation

/// How a worker reports on itself: metrics, the live status behind its dashboard, and its
/// heartbeat in the application's worker registry (DESIGN.md §5).
public struct ObservabilityConfig: Sendable {
    /// Where metrics go. `nil` uses `MetricsSystem.factory`, which only an app bootstraps
    /// (STYLE.md §13); tests pass a factory of their own instead of fighting over the global one.
    /// Default: `nil`.
    public var metricsFactory: (any MetricsFactory)?
    /// How often the worker's monitor samples its threads' counters and asks the brokers for end
    /// offsets (consumer lag). Default: 1 s.
    public var sampleInterval: Duration
    /// How much consumer-lag history the dashboard gets. Default: 5 minutes.
    public var lagHistory: Duration
    /// How often the worker publishes its heartbeat to `<applicationID>-workers`. A worker is live
    /// while its last heartbeat is younger than three intervals. Default: 3 s.
    public var heartbeatInterval: Duration
    /// This worker's name in the registry. Default: `<host>-<pid>-<random>`, new at every start.
    public var instanceID: String
    /// The URL other workers and tools use to reach this worker's HTTP endpoints; the app sets it
    /// once its server listens (`WorkerObservability.advertise`). Default: `nil`.
    public var advertisedURL: String?
    /// Whether the monitor thread and the heartbeat run at all. Default: `true`.
    public var enabled: Bool

    /// Every parameter defaults as its property says; `instanceID` `nil` makes a new one.
    public init(
        metricsFactory: (any MetricsFactory)? = nil, sampleInterval: Duration = .seconds(1),
        lagHistory: Duration = .seconds(300), heartbeatInterval: Duration = .seconds(3),
        instanceID: String? = nil, advertisedURL: String? = nil, enabled: Bool = true
    ) {
        self.metricsFactory = metricsFactory
        self.sampleInterval = sampleInterval
        self.lagHistory = lagHistory
        self.heartbeatInterval = heartbeatInterval
        self.instanceID = instanceID ?? Self.defaultInstanceID()
        self.advertisedURL = advertisedURL
        self.enabled = enabled
    }

    static func defaultInstanceID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(random)"
    }
}
