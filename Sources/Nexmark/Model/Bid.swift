/// A bid on an auction (Beam's `Bid` plus Flink Nexmark's `channel` and `url`).
///
/// Fields and JSON keys are those of the Flink Nexmark table, in its order.
public struct Bid: Codable, Sendable, Hashable {
    /// Id of the ``Auction`` bid on.
    public var auction: Int64
    /// Id of the bidding ``Person``.
    public var bidder: Int64
    /// Price, in cents.
    public var price: Int64
    /// Where the bid came from: one of four hot channels ("Google", "Facebook", "Baidu",
    /// "Apple") half of the time, otherwise "channel-0" … "channel-9999". Not in Beam's model.
    public var channel: String
    /// The channel's item URL, fixed per channel. Not in Beam's model.
    public var url: String
    /// Event time.
    public var dateTime: NexmarkTimestamp
    /// Padding up to the configured average bid size.
    public var extra: String

    public init(
        auction: Int64, bidder: Int64, price: Int64, channel: String, url: String,
        dateTime: NexmarkTimestamp, extra: String
    ) {
        self.auction = auction
        self.bidder = bidder
        self.price = price
        self.channel = channel
        self.url = url
        self.dateTime = dateTime
        self.extra = extra
    }
}
