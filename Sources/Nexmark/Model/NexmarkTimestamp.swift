/// An event time: milliseconds since 1970-01-01 00:00:00 UTC, Beam's `Instant` in the generator.
///
/// In JSON it is the text Flink's `json` format writes for a `TIMESTAMP(3)` column (the Flink
/// Nexmark Kafka table's `dateTime` and `expires`): the UTC date and time as
/// `yyyy-MM-dd HH:mm:ss`, then a `.` and the milliseconds with trailing zeros dropped, nothing
/// when they are zero:
///
/// ```
/// 2015-07-15 00:00:00
/// 2015-07-15 00:00:00.01
/// 2015-07-15 00:00:09.425
/// ```
///
/// Years beyond 9999 get a `+` and negative years a `-`, as in Java's `ISO_LOCAL_DATE`.
public struct NexmarkTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Beam's `NexmarkUtils.BASE_TIME`, 2015-07-15 00:00:00 UTC: event time of event number 0.
    public static let beamBaseTime = NexmarkTimestamp(millisecondsSinceEpoch: 1_436_918_400_000)

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The Flink SQL text, as in JSON.
    public var description: String { flinkSQL }
}

extension NexmarkTimestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = NexmarkTimestamp(flinkSQL: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a Flink SQL timestamp (yyyy-MM-dd HH:mm:ss[.fff])")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(flinkSQL)
    }
}
