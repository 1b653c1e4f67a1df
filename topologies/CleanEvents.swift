import Sluice

/// The cleaning stage: raw SDK events in, validated events in the standard shape out, keyed by user.
/// Events that break a rule go to `clean-events-dlq` with the rule they broke.
public struct CleanEvents: TopologyDefinition {
    public static let applicationID = "clean-events"
    public static let summary = "validate raw SDK events, keep allowed properties, key by user"
    public static let samples: SampleSource? = SampleEvents.raw
    public init() {}

    public var body: some Topology {
        Stream("raw-events", key: .string.optional, value: .json(RawEvent.self))
            .mapValues(named: "validate") { raw in try EventCleaning.clean(raw) }
            .selectKey(named: "key-by-user") { _, event in event.userID }
            .to("events", key: .string, value: .json())
    }
}
