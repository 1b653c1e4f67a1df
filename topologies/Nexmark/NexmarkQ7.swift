import Sluice
import SluiceNexmark

/// Nexmark q7, highest bid: per 10-second tumbling window, the bids with the window's highest price.
///
/// Flink's SQL computes `MAX(price)` per tumbling window, then joins every bid with those maxima
/// on `B.price = B1.maxprice AND B.dateTime BETWEEN window_end - 10 s AND window_end`. `BETWEEN`
/// includes both ends, so a bid made exactly at a window's end (the first instant of the next
/// window) also matches that window if its price equals the window's maximum, which it does not
/// help to compute. Here bids are keyed by the end of the window they fall in (so, as in Flink,
/// one task holds one window and windows spread over tasks); a bid exactly on a boundary is also
/// sent, keyed by the previous window's end. Windows of 10.001 s every 10 s (`[start, end]`,
/// end included) then hold each window's bids and its boundary bids: the aggregate keeps the
/// highest price of the window's own bids and the bids at it, and the boundary bids at that price
/// or more. Only the window a key names is written (a key also collects the neighbouring 10.001 s
/// windows its boundary bids fall in, which are dropped), once, when it closes.
///
/// Differences from Flink: results are final per window and written when the window closes by
/// the task's stream time (its end plus `NexmarkSource.outOfOrderness`), keyed by the window's end;
/// Flink's regular join keeps every bid forever and emits as soon as the maximum is known.
public struct NexmarkQ7: TopologyDefinition {
    public static let applicationID = "nexmark-q7"
    public static let summary = "Nexmark q7: the highest bids of each 10 s window"
    public static let samples: SampleSource? = NexmarkSource.samples
    public init() {}

    static let size: Int64 = 10_000

    public var body: some Topology {
        NexmarkSource.events().bids
            .flatMap { _, bid in
                let row = NexmarkHighestBid(auction: bid.auction, bidder: bid.bidder, price: bid.price, dateTime: bid.dateTime, extra: bid.extra)
                let time = bid.dateTime.millisecondsSinceEpoch
                let end = Self.windowEnd(of: time)
                return time % Self.size == 0 ? [(end, row), (time, row)] : [(end, row)]
            }
            .repartition(named: "bids-by-window", key: .int64, value: .json(NexmarkHighestBid.self))
            .groupByKey()
            .windowedBy(.hopping(.milliseconds(Self.size + 1), advance: .milliseconds(Self.size), grace: NexmarkSource.outOfOrderness))
            .emitStrategy(.onWindowClose)
            .aggregate(named: "highest-bids", serde: .json(NexmarkQ7Window.self), initializer: { NexmarkQ7Window() }) { end, bid, window in
                window.adding(bid, windowEnd: end)
            }
            .toStream()
            .flatMap { window, highest in
                window.window.start + Self.size == window.key ? highest.winners.map { (window.key, $0) } : []
            }
            .to("nexmark-q7", key: .int64, value: .json())
    }

    /// The end of the tumbling window `time` falls in (windows are aligned to the epoch, as Flink's).
    static func windowEnd(of time: Int64) -> Int64 {
        (time >= 0 ? time / size : (time - size + 1) / size) * size + size
    }
}

/// One q7 window so far: the highest price of its own bids and the bids at it, and the bids made
/// exactly at its end that may still equal that price.
struct NexmarkQ7Window: Codable, Sendable {
    var maxPrice = Int64.min
    var top: [NexmarkHighestBid] = []
    var boundary: [NexmarkHighestBid] = []

    func adding(_ bid: NexmarkHighestBid, windowEnd: Int64) -> NexmarkQ7Window {
        var next = self
        if bid.dateTime.millisecondsSinceEpoch == windowEnd {
            if bid.price >= maxPrice { next.boundary.append(bid) }
        } else if bid.price > maxPrice {
            next.maxPrice = bid.price
            next.top = [bid]
            next.boundary.removeAll { $0.price < bid.price }
        } else if bid.price == maxPrice {
            next.top.append(bid)
        }
        return next
    }

    /// The window's bids at its highest price, then the boundary bids at that price.
    var winners: [NexmarkHighestBid] { top + boundary.filter { $0.price == maxPrice } }
}
