import Sluice

/// Category routing: each clean event to the topic of its category.
public struct RouteEvents: TopologyDefinition {
    public static let applicationID = "route-events"
    public static let summary = "route clean events to events-commerce, -engagement, -account or -other"
    public static let samples: SampleSource? = SampleEvents.clean
    public init() {}

    public var body: some Topology {
        Stream("events", key: .string, value: .json(CleanEvent.self))
            .split(named: "by-category") {
                Branch("commerce", where: { _, e in e.category == "commerce" }) { $0.to("events-commerce") }
                Branch("engagement", where: { _, e in e.category == "engagement" }) { $0.to("events-engagement") }
                Branch("account", where: { _, e in e.category == "account" }) { $0.to("events-account") }
                Branch.otherwise("other") { $0.to("events-other") }
            }
    }
}
