/// What to generate: Beam's `NexmarkConfiguration` fields that shape the event stream, plus the
/// three `GeneratorConfig` values (base time, first event id, first event number).
///
/// Every default is Beam's, so `NexmarkConfig()` yields exactly what Beam's
/// `NexmarkUtils.standardEventIterator(NexmarkConfiguration.DEFAULT)` yields. There is no seed:
/// Beam seeds each event's `java.util.Random` with the event's id, so the ids (``firstEventId``,
/// ``firstEventNumber`` and the out-of-order grouping) are the seed.
///
/// ```swift
/// var config = NexmarkConfig()
/// config.numEvents = 1_000_000
/// config.firstEventRate = 50_000   // events per second, over all generators
/// config.nextEventRate = 50_000
/// for event in try NexmarkGenerator(config: config) { … }
/// ```
///
/// Integer fields are Java `int`s in Beam; ``validate()`` rejects values outside that range.
public struct NexmarkConfig: Sendable, Hashable {
    /// Events to generate; 0 means "as many as fit", which Beam caps at
    /// `Int64.max / (50 × the largest average event size)`. Default: 100,000.
    public var numEvents: Int64 = 100_000

    /// Beam's number of parallel generators. Each event advances this generator's clock by the
    /// inter-event delay of the overall rate times this number, as if the stream were split
    /// among that many generators. Use 1 for a single generator at the full rate. Default: 100.
    public var numEventGenerators: Int = 100

    /// How the rate moves between ``firstEventRate`` and ``nextEventRate``. Default: `.sine`
    /// (which only matters when the two rates differ).
    public var rateShape: RateShape = .sine

    /// Initial overall event rate, in ``rateUnit``. Default: 10,000.
    public var firstEventRate: Int = 10_000

    /// The other overall event rate of the shape, in ``rateUnit``. Default: 10,000.
    public var nextEventRate: Int = 10_000

    /// Unit of the two rates. Default: `.perSecond`.
    public var rateUnit: RateUnit = .perSecond

    /// Seconds for the rate shape to go through all its steps once. Default: 600.
    public var ratePeriodSec: Int = 600

    /// Average idealized size of a person event, in bytes; `extra` pads towards it. Default: 200.
    public var avgPersonByteSize: Int = 200

    /// Average idealized size of an auction event, in bytes. Default: 500.
    public var avgAuctionByteSize: Int = 500

    /// Average idealized size of a bid event, in bytes. Default: 100.
    public var avgBidByteSize: Int = 100

    /// A bid goes to a hot auction with probability 1 − 1/ratio (1: never). Default: 2.
    public var hotAuctionRatio: Int = 2

    /// An auction is by a hot seller with probability 1 − 1/ratio (1: never). Default: 4.
    public var hotSellersRatio: Int = 4

    /// A bid is by a hot bidder with probability 1 − 1/ratio (1: never). Default: 4.
    public var hotBiddersRatio: Int = 4

    /// Auctions considered still open when choosing a bid's auction; also sets how long auctions
    /// last (the time until that many more auctions have been created, on average). Default: 100.
    public var numInFlightAuctions: Int = 100

    /// People considered active when choosing a seller or bidder. Default: 1,000.
    public var numActivePeople: Int = 1_000

    /// Events per out-of-order group: within each group of this many events, ids and timestamps
    /// are permuted (event `n` takes the place of `base + (n × 953) mod size`). 1 keeps them in
    /// order. Default: 1.
    public var outOfOrderGroupSize: Int64 = 1

    /// Event time of event number 0. Default: Beam's 2015-07-15 00:00:00 UTC; Beam's
    /// `useWallclockEventTime` corresponds to setting the current time here.
    public var baseTime: NexmarkTimestamp = .beamBaseTime

    /// Id of the generator's first event (Beam's `firstEventId`): split generators start at
    /// different ids so their events differ. Ids decide the event kind and seed its fields.
    /// Default: 0.
    public var firstEventId: Int64 = 0

    /// Event number of the generator's first event (Beam's `firstEventNumber`): it decides the
    /// event's timestamp. Default: 0.
    public var firstEventNumber: Int64 = 0

    /// Beam's defaults.
    public init() {}
}
