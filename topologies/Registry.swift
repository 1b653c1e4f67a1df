import Sluice

/// Every topology of this folder, by application id: what `sluice list`, `describe` and `run` see.
/// A new topology file adds its type here.
public enum TopologyRegistry {
    public static let all: [any TopologyDefinition.Type] = [
        CleanEvents.self,
        EnrichEvents.self,
        RouteEvents.self,
        UserActivity.self,
    ]

    public static func named(_ name: String) -> (any TopologyDefinition.Type)? {
        all.first { $0.applicationID == name }
    }
}
