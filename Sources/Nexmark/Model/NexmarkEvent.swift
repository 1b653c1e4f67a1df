/// One Nexmark event: a new person, a new auction, or a bid.
///
/// As JSON it is one Kafka record of Flink Nexmark's `kafka` table (`ddl_kafka.sql`): the
/// `event_type` (0 person, 1 auction, 2 bid) and all three rows, the two absent ones `null`:
///
/// ```json
/// {"event_type":2,"person":null,"auction":null,"bid":{"auction":1000,"bidder":1001,…}}
/// ```
///
/// `Codable` gives exactly this shape (decoding also accepts absent rows left out); for
/// throughput, ``appendJSON(to:)`` writes the same JSON without going through `Encoder`.
public enum NexmarkEvent: Sendable, Hashable {
    case person(Person)
    case auction(Auction)
    case bid(Bid)

    /// Flink Nexmark's `event_type`: 0 person, 1 auction, 2 bid.
    public var eventType: Int {
        switch self {
        case .person: 0
        case .auction: 1
        case .bid: 2
        }
    }

    /// The event's time (the `dateTime` of its row).
    public var dateTime: NexmarkTimestamp {
        switch self {
        case .person(let person): person.dateTime
        case .auction(let auction): auction.dateTime
        case .bid(let bid): bid.dateTime
        }
    }
}

extension NexmarkEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case eventType = "event_type", person, auction, bid
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Int.self, forKey: .eventType) {
        case 0: self = .person(try container.decode(Person.self, forKey: .person))
        case 1: self = .auction(try container.decode(Auction.self, forKey: .auction))
        case 2: self = .bid(try container.decode(Bid.self, forKey: .bid))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .eventType, in: container, debugDescription: "event_type must be 0, 1 or 2")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventType, forKey: .eventType)
        if case .person(let person) = self {
            try container.encode(person, forKey: .person)
        } else {
            try container.encodeNil(forKey: .person)
        }
        if case .auction(let auction) = self {
            try container.encode(auction, forKey: .auction)
        } else {
            try container.encodeNil(forKey: .auction)
        }
        if case .bid(let bid) = self {
            try container.encode(bid, forKey: .bid)
        } else {
            try container.encodeNil(forKey: .bid)
        }
    }
}
