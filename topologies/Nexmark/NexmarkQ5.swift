import Sluice
import SluiceNexmark

/// Nexmark q5, hot items: per 10-second window sliding every 2 seconds, the auctions with the
/// most bids.
///
/// Counts per auction and window are final (emitted once each, when the window closes); they are then
/// grouped by window, and each window's best so far is written keyed by its start: the latest
/// record per key is the answer, as the update stream of Flink's join of counts with their maximum.
public struct NexmarkQ5: TopologyDefinition {
    public static let applicationID = "nexmark-q5"
    public static let summary = "Nexmark q5: the auctions with the most bids per 10 s window, every 2 s"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    public var body: some Topology {
        NexmarkSource.events().bids
            // Only the key and the price cross the repartition topic, not the whole bid.
            .map { _, bid in (bid.auction, bid.price) }
            .repartition(named: "bids-by-auction", key: .int64, value: .int64)
            .groupByKey()
            .windowedBy(.hopping(.seconds(10), advance: .seconds(2), grace: NexmarkSource.outOfOrderness))
            .emitStrategy(.onWindowClose)
            .count(named: "bids-per-auction")
            .toStream()
            .map { window, num in (window.window.start, NexmarkAuctionCount(auction: window.key, num: num)) }
            .repartition(named: "by-window", key: .int64, value: .json())
            .groupByKey()
            .aggregate(named: "hot-auctions", serde: .json(NexmarkHotAuctions.self), initializer: { NexmarkHotAuctions(starttime: 0, endtime: 0, num: 0, auctions: []) }) {
                start, count, best in
                var best = best
                best.starttime = start
                best.endtime = start + 10_000
                if count.num > best.num {
                    best.num = count.num
                    best.auctions = [count.auction]
                } else if count.num == best.num {
                    best.auctions.append(count.auction)
                }
                return best
            }
            .toStream()
            .to("nexmark-q5", key: .int64, value: .json())
    }
}
