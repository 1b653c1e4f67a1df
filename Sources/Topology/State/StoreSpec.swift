/// A state store a node needs, declared in the plan so the runtime can create its changelog topic
/// and its tasks can open it.
public struct StoreSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Latest value per key.
        case keyValue
        /// Values per key and window start, a key's windows together (sliding windows fetch them by
        /// time range); windows older than `retention` behind stream time are dropped.
        case window(retention: Int64)
        /// Values per window start and key, ordered by start first (tumbling and hopping windows,
        /// fetched one window at a time): expiry drops one contiguous range of keys.
        case timeOrderedWindow(retention: Int64)
        /// Values per key and session; sessions ending more than `retention` behind stream time are dropped.
        case session(retention: Int64)
        /// Records held back until their time comes (suppression), ordered by that time.
        case buffer
    }

    /// The store's stable name; it names the changelog topic `<applicationID>-<name>-changelog`.
    public let name: String
    public let kind: Kind
    /// The topic the store mirrors record for record, which then serves as its changelog: the
    /// store writes none and restores from this topic (a table read from a topic, with
    /// `TableChangelog.sourceTopic`). `nil`: the store has a changelog topic of its own.
    public let sourceTopic: String?

    public init(name: String, kind: Kind, sourceTopic: String? = nil) {
        self.name = name
        self.kind = kind
        self.sourceTopic = sourceTopic
    }

    /// The topic holding the store's changes, which a restore reads: its own changelog, or the
    /// topic it mirrors.
    public func changelogTopic(applicationID: String) -> String { sourceTopic ?? "\(applicationID)-\(name)-changelog" }

    /// Whether the store writes a changelog topic of its own, which the application creates (and
    /// a reset deletes); a store mirroring its source topic writes none, and must never touch it.
    public var ownsChangelog: Bool { sourceTopic == nil }

    /// Topic configs of the changelog on Kafka: compacted; windowed stores also expire.
    public var changelogConfigs: [String: String] {
        switch kind {
        case .keyValue, .buffer: ["cleanup.policy": "compact"]
        case .window(let retention), .timeOrderedWindow(let retention), .session(let retention):
            ["cleanup.policy": "compact,delete", "retention.ms": String(retention + 24 * 3_600_000)]
        }
    }

    public var description: String { name }
}

/// An update of a table: its value before and after (`nil`: absent, so a delete has `new == nil`).
public struct Change<Value> {
    public var new: Value?
    public var old: Value?

    public init(new: Value?, old: Value?) {
        self.new = new
        self.old = old
    }
}

extension Change: Sendable where Value: Sendable {}
extension Change: Equatable where Value: Equatable {}
