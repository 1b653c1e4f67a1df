/// A validated ``NexmarkConfig`` in the types the draws need (Java `int` bounds as `Int32`), plus
/// the timeline and the channel table: what the person, auction and bid generators read.
struct GeneratorSettings: Sendable {
    let timeline: EventTimeline
    let channels: BidChannels
    let hotAuctionRatio: Int32
    let hotSellersRatio: Int32
    let hotBiddersRatio: Int32
    let avgPersonByteSize: Int32
    let avgAuctionByteSize: Int32
    let avgBidByteSize: Int32
    let numInFlightAuctions: Int64
    let numActivePeople: Int64

    /// - Important: `config` must have passed ``NexmarkConfig/validate()``.
    init(config: NexmarkConfig) {
        timeline = EventTimeline(config: config)
        channels = .shared
        hotAuctionRatio = Int32(config.hotAuctionRatio)
        hotSellersRatio = Int32(config.hotSellersRatio)
        hotBiddersRatio = Int32(config.hotBiddersRatio)
        avgPersonByteSize = Int32(config.avgPersonByteSize)
        avgAuctionByteSize = Int32(config.avgAuctionByteSize)
        avgBidByteSize = Int32(config.avgBidByteSize)
        numInFlightAuctions = Int64(config.numInFlightAuctions)
        numActivePeople = Int64(config.numActivePeople)
    }
}
