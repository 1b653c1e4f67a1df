import Sluice
import SluiceNexmark

/// Nexmark q12, processing-time windows: how many bids each bidder made in each 10 seconds of
/// processing time (the time a worker handles the bid, Flink's `PROCTIME()`). Final results only.
public struct NexmarkQ12: TopologyDefinition {
    public static let applicationID = "nexmark-q12"
    public static let summary = "Nexmark q12: bids per bidder per 10 s of processing time"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.eventsInProcessingTime().bids
            // Only the key and the price cross the repartition topic, not the whole bid.
            .map { _, bid in (bid.bidder, bid.price) }
            .repartition(named: "bids-by-bidder", key: .int64, value: .int64)
            .groupByKey()
            .windowedBy(.tumbling(.seconds(10), grace: .seconds(1)))
            .emitStrategy(.onWindowClose)
            .count(named: "bids-per-window")
            .toStream()
            .map { window, n in
                (window.key, NexmarkBidderCount(bidder: window.key, bid_count: n, starttime: window.window.start, endtime: window.window.end))
            }
            .to("nexmark-q12", key: .int64, value: .json())
    }
}
