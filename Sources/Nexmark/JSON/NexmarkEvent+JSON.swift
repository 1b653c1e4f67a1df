/// The JSON of a ``NexmarkEvent`` written directly, without `Encoder`: several times faster than
/// encoding it through `Codable`, for generating streams at full speed.
///
/// The bytes are those Flink's `json` format (Jackson) writes for the Flink Nexmark Kafka table:
/// compact, keys in the table's order, absent rows `null`, only `"`, `\` and control characters
/// escaped (unlike Foundation-compatible encoders, `/` is left alone).
extension NexmarkEvent {
    /// Appends the event's JSON to `bytes`.
    public func appendJSON(to bytes: inout [UInt8]) {
        appendLiteral(#"{"event_type":"#, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(eventType))
        switch self {
        case .person(let person):
            appendLiteral(#","person":"#, to: &bytes)
            person.appendJSON(to: &bytes)
            appendLiteral(#","auction":null,"bid":null}"#, to: &bytes)
        case .auction(let auction):
            appendLiteral(#","person":null,"auction":"#, to: &bytes)
            auction.appendJSON(to: &bytes)
            appendLiteral(#","bid":null}"#, to: &bytes)
        case .bid(let bid):
            appendLiteral(#","person":null,"auction":null,"bid":"#, to: &bytes)
            bid.appendJSON(to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The event's JSON: one Kafka record value of the Flink Nexmark table.
    public var jsonBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendJSON(to: &bytes)
        return bytes
    }
}

extension Person {
    func appendJSON(to bytes: inout [UInt8]) {
        appendLiteral(#"{"id":"#, to: &bytes)
        appendJSONInteger(id, to: &bytes)
        appendLiteral(#","name":"#, to: &bytes)
        appendJSONString(name, to: &bytes)
        appendLiteral(#","emailAddress":"#, to: &bytes)
        appendJSONString(emailAddress, to: &bytes)
        appendLiteral(#","creditCard":"#, to: &bytes)
        appendJSONString(creditCard, to: &bytes)
        appendLiteral(#","city":"#, to: &bytes)
        appendJSONString(city, to: &bytes)
        appendLiteral(#","state":"#, to: &bytes)
        appendJSONString(state, to: &bytes)
        appendLiteral(#","dateTime":"#, to: &bytes)
        appendJSONTimestamp(dateTime, to: &bytes)
        appendLiteral(#","extra":"#, to: &bytes)
        appendJSONString(extra, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension Auction {
    func appendJSON(to bytes: inout [UInt8]) {
        appendLiteral(#"{"id":"#, to: &bytes)
        appendJSONInteger(id, to: &bytes)
        appendLiteral(#","itemName":"#, to: &bytes)
        appendJSONString(itemName, to: &bytes)
        appendLiteral(#","description":"#, to: &bytes)
        appendJSONString(description, to: &bytes)
        appendLiteral(#","initialBid":"#, to: &bytes)
        appendJSONInteger(initialBid, to: &bytes)
        appendLiteral(#","reserve":"#, to: &bytes)
        appendJSONInteger(reserve, to: &bytes)
        appendLiteral(#","dateTime":"#, to: &bytes)
        appendJSONTimestamp(dateTime, to: &bytes)
        appendLiteral(#","expires":"#, to: &bytes)
        appendJSONTimestamp(expires, to: &bytes)
        appendLiteral(#","seller":"#, to: &bytes)
        appendJSONInteger(seller, to: &bytes)
        appendLiteral(#","category":"#, to: &bytes)
        appendJSONInteger(category, to: &bytes)
        appendLiteral(#","extra":"#, to: &bytes)
        appendJSONString(extra, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}

extension Bid {
    func appendJSON(to bytes: inout [UInt8]) {
        appendLiteral(#"{"auction":"#, to: &bytes)
        appendJSONInteger(auction, to: &bytes)
        appendLiteral(#","bidder":"#, to: &bytes)
        appendJSONInteger(bidder, to: &bytes)
        appendLiteral(#","price":"#, to: &bytes)
        appendJSONInteger(price, to: &bytes)
        appendLiteral(#","channel":"#, to: &bytes)
        appendJSONString(channel, to: &bytes)
        appendLiteral(#","url":"#, to: &bytes)
        appendJSONString(url, to: &bytes)
        appendLiteral(#","dateTime":"#, to: &bytes)
        appendJSONTimestamp(dateTime, to: &bytes)
        appendLiteral(#","extra":"#, to: &bytes)
        appendJSONString(extra, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }
}
