import Sluice
import SluiceNexmark

/// Nexmark q0, pass-through: every bid, unchanged. Measures the cost of reading, decoding,
/// encoding and writing.
public struct NexmarkQ0: TopologyDefinition {
    public static let applicationID = "nexmark-q0"
    public static let summary = "Nexmark q0: every bid passed through"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.events().bids
            .mapValues { bid in NexmarkBidRow(auction: bid.auction, bidder: bid.bidder, price: Double(bid.price), dateTime: bid.dateTime, extra: bid.extra) }
            .to("nexmark-q0", value: .json())
    }
}
