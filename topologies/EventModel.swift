import Sluice

/// An SDK event as a Segment-style library sends it (`track`, `page`, `screen`, `identify`, ...).
/// Every field is optional: validation, not decoding, decides what is acceptable.
public struct RawEvent: Codable, Sendable, Equatable {
    public struct Context: Codable, Sendable, Equatable {
        public struct Device: Codable, Sendable, Equatable { public var type: String? }
        public struct App: Codable, Sendable, Equatable { public var name: String?; public var version: String? }
        public struct Library: Codable, Sendable, Equatable { public var name: String? }
        public var device: Device?
        public var app: App?
        public var library: Library?
        public var locale: String?
    }

    public var type: String?
    public var event: String?
    public var name: String?
    public var userId: String?
    public var anonymousId: String?
    public var messageId: String?
    public var timestamp: String?
    public var properties: [String: JSONValue]?
    public var context: Context?
}

/// An event in Sluice's standard shape: validated, keyed by user, categorised, with only the
/// properties the business allows.
public struct CleanEvent: Codable, Sendable, Equatable {
    public var eventID: String
    /// The user id, or `anon:<anonymousId>` for users not yet identified.
    public var userID: String
    /// `track`, `page`, `screen`, `identify`, `group` or `alias`.
    public var type: String
    /// The event's name (`Product Clicked`), or the page or screen name.
    public var name: String
    /// `commerce`, `engagement`, `account` or `other`: the routing key.
    public var category: String
    /// Event time, milliseconds since the epoch.
    public var timestamp: Int64
    public var properties: [String: JSONValue]
    public var device: String?
    public var locale: String?
    public var app: String?

    public init(
        eventID: String, userID: String, type: String, name: String, category: String, timestamp: Int64,
        properties: [String: JSONValue], device: String?, locale: String?, app: String?
    ) {
        self.eventID = eventID
        self.userID = userID
        self.type = type
        self.name = name
        self.category = category
        self.timestamp = timestamp
        self.properties = properties
        self.device = device
        self.locale = locale
        self.app = app
    }
}

/// Why an event was refused; it reaches the dead-letter topic as the `sluice.error` header.
public struct InvalidEvent: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "invalid event: \(reason)" }
}
