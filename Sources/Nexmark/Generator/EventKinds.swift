/// Which kind of event an id is, and which persons and auctions exist by then: Beam's
/// `GeneratorConfig` proportions and the id arithmetic of its `PersonGenerator` and
/// `AuctionGenerator`.
///
/// Ids repeat in blocks of 50: one person, then three auctions, then 46 bids. Person and
/// auction ids follow from the event id alone, so any event can be generated without the ones
/// before it (the generator is random-access and resumable).
enum EventKinds {
    static let persons: Int64 = 1
    static let auctions: Int64 = 3
    static let bids: Int64 = 46
    static let denominator: Int64 = persons + auctions + bids

    /// Beam starts ids here "to help ensure the queries find a match even on small datasets".
    static let firstPersonId: Int64 = 1000
    static let firstAuctionId: Int64 = 1000
    static let firstCategoryId: Int64 = 10

    /// Yet-to-be-created persons and auctions a random choice may pick (Beam's `*_ID_LEAD`), so
    /// a bid or auction can name a person or auction that appears just after it.
    private static let personIdLead: Int64 = 10
    private static let auctionIdLead: Int64 = 10

    /// Beam's `lastBase0PersonId`: the newest person (from 0) at `eventId`, the event's own id
    /// if it is a person.
    static func lastBase0PersonId(_ eventId: Int64) -> Int64 {
        let epoch = eventId / denominator
        var offset = eventId % denominator
        if offset >= persons { offset = persons - 1 }
        return epoch &* persons &+ offset
    }

    /// Beam's `lastBase0AuctionId`: the newest auction (from 0) at `eventId`, the event's own id
    /// if it is an auction; -1 before the first auction.
    static func lastBase0AuctionId(_ eventId: Int64) -> Int64 {
        var epoch = eventId / denominator
        var offset = eventId % denominator
        if offset < persons {
            epoch -= 1
            offset = auctions - 1
        } else if offset >= persons + auctions {
            offset = auctions - 1
        } else {
            offset -= persons
        }
        return epoch &* auctions &+ offset
    }

    /// Beam's `nextBase0PersonId`: one of the `activePeople` newest persons or the few leads.
    static func nextBase0PersonId(_ eventId: Int64, _ random: inout JavaRandom, activePeople limit: Int64) -> Int64 {
        let numPeople = lastBase0PersonId(eventId) + 1
        let activePeople = min(numPeople, limit)
        let n = random.nextLong(below: activePeople + personIdLead)
        return numPeople - activePeople + n
    }

    /// Beam's `nextBase0AuctionId`: one of the `inFlight` newest auctions or the few leads.
    static func nextBase0AuctionId(_ eventId: Int64, _ random: inout JavaRandom, inFlight: Int64) -> Int64 {
        let maxAuction = lastBase0AuctionId(eventId)
        let minAuction = max(maxAuction - inFlight, 0)
        return minAuction + random.nextLong(below: maxAuction - minAuction + 1 + auctionIdLead)
    }
}
