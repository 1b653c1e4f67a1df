/// A new auction (Beam's `Auction`, Flink Nexmark's `auction` row).
///
/// Fields and JSON keys are those of the Flink Nexmark table, in its order.
public struct Auction: Codable, Sendable, Hashable {
    /// Auction id, from 1000 on in order of creation.
    public var id: Int64
    public var itemName: String
    public var description: String
    /// Opening price, in cents.
    public var initialBid: Int64
    /// Reserve price, in cents: at least the initial bid.
    public var reserve: Int64
    /// Event time.
    public var dateTime: NexmarkTimestamp
    /// When the auction closes; bids at or after it do not count.
    public var expires: NexmarkTimestamp
    /// Id of the selling ``Person``.
    public var seller: Int64
    /// Category id, 10 to 14.
    public var category: Int64
    /// Padding up to the configured average auction size.
    public var extra: String

    public init(
        id: Int64, itemName: String, description: String, initialBid: Int64, reserve: Int64,
        dateTime: NexmarkTimestamp, expires: NexmarkTimestamp, seller: Int64, category: Int64, extra: String
    ) {
        self.id = id
        self.itemName = itemName
        self.description = description
        self.initialBid = initialBid
        self.reserve = reserve
        self.dateTime = dateTime
        self.expires = expires
        self.seller = seller
        self.category = category
        self.extra = extra
    }
}
