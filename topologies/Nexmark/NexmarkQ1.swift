import Sluice
import SluiceNexmark

/// Nexmark q1, currency conversion: each bid's price from dollars to euros (`0.908 * price`).
public struct NexmarkQ1: TopologyDefinition {
    public static let applicationID = "nexmark-q1"
    public static let summary = "Nexmark q1: bid prices converted to euros"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.events().bids
            .mapValues { bid in
                NexmarkBidRow(auction: bid.auction, bidder: bid.bidder, price: 0.908 * Double(bid.price), dateTime: bid.dateTime, extra: bid.extra)
            }
            .to("nexmark-q1", value: .json())
    }
}
