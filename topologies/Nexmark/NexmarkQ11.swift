import Sluice
import SluiceNexmark

/// Nexmark q11, user sessions: how many bids each bidder made in each session of activity
/// (sessions end after 10 seconds without a bid). Final results only.
public struct NexmarkQ11: TopologyDefinition {
    public static let applicationID = "nexmark-q11"
    public static let summary = "Nexmark q11: bids per bidder per session (10 s inactivity gap)"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.events().bids
            // Only the key and the price cross the repartition topic, not the whole bid.
            .map { _, bid in (bid.bidder, bid.price) }
            .repartition(named: "bids-by-bidder", key: .int64, value: .int64)
            .groupByKey()
            .windowedBy(.session(gap: .seconds(10), grace: NexmarkSource.outOfOrderness))
            .emitStrategy(.onWindowClose)
            .count(named: "bids-per-session")
            .toStream()
            .map { session, n in
                (session.key, NexmarkBidderCount(bidder: session.key, bid_count: n, starttime: session.window.start, endtime: session.window.end))
            }
            .to("nexmark-q11", key: .int64, value: .json())
    }
}
