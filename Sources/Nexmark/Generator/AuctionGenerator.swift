/// Beam's `AuctionGenerator.nextAuction`: the draws, in Beam's order, for an auction event.
enum AuctionGenerator {
    /// Kept small so the example queries find matches even in a short stream.
    private static let categories: Int32 = 5
    /// Hot sellers are the first person of each block of this many.
    private static let hotSellerBlock: Int64 = 100

    static func next(
        count: Int64, eventId: Int64, random: inout JavaRandom, timestamp: Int64, settings: GeneratorSettings
    ) -> Auction {
        let id = EventKinds.lastBase0AuctionId(eventId) + EventKinds.firstAuctionId
        var seller: Int64
        if random.nextInt(settings.hotSellersRatio) > 0 {
            seller = (EventKinds.lastBase0PersonId(eventId) / hotSellerBlock) * hotSellerBlock
        } else {
            seller = EventKinds.nextBase0PersonId(eventId, &random, activePeople: settings.numActivePeople)
        }
        seller += EventKinds.firstPersonId
        let category = EventKinds.firstCategoryId + Int64(random.nextInt(categories))
        let initialBid = random.nextPrice()
        let expires = timestamp &+ nextAuctionLengthMs(count: count, random: &random, timestamp: timestamp, settings: settings)
        let name = random.nextString(maxLength: 20)
        let description = random.nextString(maxLength: 100)
        let reserve = initialBid + random.nextPrice()
        let currentSize = 8 + name.utf8.count + description.utf8.count + 8 + 8 + 8 + 8 + 8
        let extra = random.nextExtra(currentSize: Int32(currentSize), desiredAverageSize: settings.avgAuctionByteSize)
        return Auction(
            id: id, itemName: name, description: description, initialBid: initialBid, reserve: reserve,
            dateTime: NexmarkTimestamp(millisecondsSinceEpoch: timestamp),
            expires: NexmarkTimestamp(millisecondsSinceEpoch: expires), seller: seller, category: category,
            extra: extra)
    }

    /// Beam's `nextAuctionLengthMs`: uniform up to twice the time until `numInFlightAuctions`
    /// more auctions exist, so about that many are open at once. Beam passes the event *count*
    /// and adjusts it as for the timestamp.
    private static func nextAuctionLengthMs(
        count: Int64, random: inout JavaRandom, timestamp: Int64, settings: GeneratorSettings
    ) -> Int64 {
        let currentEventNumber = settings.timeline.adjustedEventNumber(count: count)
        let eventsForAuctions = (settings.numInFlightAuctions * EventKinds.denominator) / EventKinds.auctions
        let futureAuction = settings.timeline.timestamp(eventNumber: currentEventNumber &+ eventsForAuctions)
        let horizonMs = futureAuction &- timestamp
        return 1 + random.nextLong(below: max(horizonMs &* 2, 1))
    }
}
