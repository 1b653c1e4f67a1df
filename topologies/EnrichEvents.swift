import Sluice

/// A user's current state, as the user-state table holds it (one row per user id, written by the
/// CDC stage; a tombstone deletes the user).
public struct UserProfile: Codable, Sendable, Equatable {
    public var userID: String
    public var plan: String
    public var country: String

    public init(userID: String, plan: String, country: String) {
        self.userID = userID
        self.plan = plan
        self.country = country
    }
}

/// A clean event with the state of its user when it was processed (`nil`: unknown user).
public struct EnrichedEvent: Codable, Sendable, Equatable {
    public var event: CleanEvent
    public var user: UserProfile?

    public init(event: CleanEvent, user: UserProfile?) {
        self.event = event
        self.user = user
    }
}

/// Enrichment: each clean event joined with its user's current row of the `users` table (a
/// stream-table left join: events of unknown users go on, without a user). `events` and `users`
/// are both keyed by user id and must have the same partition count.
public struct EnrichEvents: TopologyDefinition {
    public static let applicationID = "enrich-events"
    public static let summary = "join clean events with the users table into enriched-events"
    public static let samples: SampleSource? = SampleEvents.clean
    public init() {}

    public var body: some Topology {
        let users = Table("users", key: .string, value: .json(UserProfile.self), named: "users-table")

        Stream("events", key: .string, value: .json(CleanEvent.self), timestamp: { _, event, _ in event.timestamp })
            .leftJoin(users, named: "enrich") { event, user in EnrichedEvent(event: event, user: user) }
            .to("enriched-events", value: .json)
    }
}
