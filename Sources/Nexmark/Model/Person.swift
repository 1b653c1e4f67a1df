/// A new person: someone who can sell and bid (Beam's `Person`, Flink Nexmark's `person` row).
///
/// Fields and JSON keys are those of the Flink Nexmark table, in its order.
public struct Person: Codable, Sendable, Hashable {
    /// Person id, from 1000 on in order of creation.
    public var id: Int64
    /// First and last name, e.g. "Peter Jones".
    public var name: String
    public var emailAddress: String
    /// Four groups of four digits.
    public var creditCard: String
    public var city: String
    /// US state code.
    public var state: String
    /// Event time.
    public var dateTime: NexmarkTimestamp
    /// Padding up to the configured average person size.
    public var extra: String

    public init(
        id: Int64, name: String, emailAddress: String, creditCard: String, city: String, state: String,
        dateTime: NexmarkTimestamp, extra: String
    ) {
        self.id = id
        self.name = name
        self.emailAddress = emailAddress
        self.creditCard = creditCard
        self.city = city
        self.state = state
        self.dateTime = dateTime
        self.extra = extra
    }
}
