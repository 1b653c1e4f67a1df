import Sluice

/// Per-user activity: a running count of each user's events, and final counts per user and minute
/// (emitted once, when the minute has closed). Event time is the event's own timestamp.
public struct UserActivity: TopologyDefinition {
    public static let applicationID = "user-activity"
    public static let summary = "count events per user, and per user and minute (final results)"
    public static let samples: SampleSource? = SampleEvents.clean
    public init() {}

    /// One user's events in one minute.
    public struct MinuteCount: Codable, Sendable, Equatable {
        public var user: String
        public var minuteStart: Int64
        public var events: Int64
    }

    public var body: some Topology {
        let events = Stream("events", key: .string, value: .json(CleanEvent.self), timestamp: { _, event, _ in event.timestamp })

        events.groupByKey().count(named: "events-per-user")
            .toStream()
            .to("user-event-counts", value: .int64)

        events.groupByKey()
            .windowedBy(.tumbling(.minutes(1), grace: .seconds(10)))
            .count(named: "events-per-user-minute")
            .suppress(.untilWindowCloses, named: "final-events-per-user-minute")
            .toStream()
            .map { window, n in (window.key, MinuteCount(user: window.key, minuteStart: window.window.start, events: n)) }
            .to("user-activity-per-minute", key: .string, value: .json())
    }
}
