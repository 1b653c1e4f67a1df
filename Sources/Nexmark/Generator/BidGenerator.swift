/// Beam's `BidGenerator.nextBid`, then Flink Nexmark's `channel` and `url`.
enum BidGenerator {
    /// Hot auctions are the first auction, and hot bidders the second person, of each block of
    /// this many (second, so hot bidders and hot sellers differ).
    private static let hotBlock: Int64 = 100

    static func next(eventId: Int64, random: inout JavaRandom, timestamp: Int64, settings: GeneratorSettings) -> Bid {
        var auction: Int64
        if random.nextInt(settings.hotAuctionRatio) > 0 {
            auction = (EventKinds.lastBase0AuctionId(eventId) / hotBlock) * hotBlock
        } else {
            auction = EventKinds.nextBase0AuctionId(eventId, &random, inFlight: settings.numInFlightAuctions)
        }
        auction += EventKinds.firstAuctionId
        var bidder: Int64
        if random.nextInt(settings.hotBiddersRatio) > 0 {
            bidder = (EventKinds.lastBase0PersonId(eventId) / hotBlock) * hotBlock + 1
        } else {
            bidder = EventKinds.nextBase0PersonId(eventId, &random, activePeople: settings.numActivePeople)
        }
        bidder += EventKinds.firstPersonId
        let price = random.nextPrice()
        let extra = random.nextExtra(currentSize: 8 + 8 + 8 + 8, desiredAverageSize: settings.avgBidByteSize)
        // Beam's draws end here; Flink's channel draws come after them so that every field
        // Beam has stays exactly Beam's (see BidChannels).
        let (channel, url) = settings.channels.next(&random)
        return Bid(
            auction: auction, bidder: bidder, price: price, channel: channel, url: url,
            dateTime: NexmarkTimestamp(millisecondsSinceEpoch: timestamp), extra: extra)
    }
}
