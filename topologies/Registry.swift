import Sluice

/// Every topology of this folder, by application id: what `sluice list`, `describe` and `run` see.
/// A new topology file adds its type here.
public enum TopologyRegistry {
    public static let all: [any TopologyDefinition.Type] = [
        CleanEvents.self,
        EnrichEvents.self,
        RouteEvents.self,
        UserActivity.self,
        NexmarkQ0.self,
        NexmarkQ1.self,
        NexmarkQ2.self,
        NexmarkQ3.self,
        NexmarkQ4.self,
        NexmarkQ5.self,
        NexmarkQ7.self,
        NexmarkQ8.self,
        NexmarkQ11.self,
        NexmarkQ12.self,
    ]

    public static func named(_ name: String) -> (any TopologyDefinition.Type)? {
        all.first { $0.applicationID == name }
    }
}
