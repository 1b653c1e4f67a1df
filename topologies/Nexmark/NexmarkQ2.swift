import Sluice
import SluiceNexmark

/// Nexmark q2, selection: the bids on every 123rd auction (Flink's `MOD(auction, 123) = 0`).
public struct NexmarkQ2: TopologyDefinition {
    public static let applicationID = "nexmark-q2"
    public static let summary = "Nexmark q2: bids on auctions whose id is a multiple of 123"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.events().bids
            .filter { _, bid in bid.auction % 123 == 0 }
            .mapValues { bid in NexmarkAuctionPrice(auction: bid.auction, price: bid.price) }
            .to("nexmark-q2", value: .json())
    }
}
