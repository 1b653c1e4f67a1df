public import SluiceTopology

/// Reading Nexmark's JSON straight off the decoder's tape: every query decodes every event, and
/// through `Codable` that decode was two thirds of q2's stream thread. Accepts what the `Codable`
/// initializers accept and gives the same values (`NexmarkJSONTests` holds them together).
extension NexmarkEvent: FastJSONDecodable {
    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        switch try object["event_type"].int() {
        case 0: self = .person(try object["person"].decode())
        case 1: self = .auction(try object["auction"].decode())
        case 2: self = .bid(try object["bid"].decode())
        default: throw try object["event_type"].error(.dataCorrupted, "event_type must be 0, 1 or 2")
        }
    }
}

extension Bid: FastJSONDecodable {
    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            auction: try object["auction"].int64(), bidder: try object["bidder"].int64(), price: try object["price"].int64(),
            channel: try object["channel"].string(), url: try object["url"].string(),
            dateTime: try object["dateTime"].decode(), extra: try object["extra"].string())
    }
}

extension Auction: FastJSONDecodable {
    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            id: try object["id"].int64(), itemName: try object["itemName"].string(),
            description: try object["description"].string(), initialBid: try object["initialBid"].int64(),
            reserve: try object["reserve"].int64(), dateTime: try object["dateTime"].decode(),
            expires: try object["expires"].decode(), seller: try object["seller"].int64(),
            category: try object["category"].int64(), extra: try object["extra"].string())
    }
}

extension Person: FastJSONDecodable {
    public init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            id: try object["id"].int64(), name: try object["name"].string(),
            emailAddress: try object["emailAddress"].string(), creditCard: try object["creditCard"].string(),
            city: try object["city"].string(), state: try object["state"].string(),
            dateTime: try object["dateTime"].decode(), extra: try object["extra"].string())
    }
}

extension NexmarkTimestamp: FastJSONDecodable {
    /// Parsed from the string's bytes in place: no String is made for the text.
    public init(json: JSONView) throws(JSONError) {
        guard let parsed = try json.withUTF8({ text throws(JSONError) in Self.parse(flinkSQL: text) }) else {
            throw json.error(.dataCorrupted, "not a Flink SQL timestamp (yyyy-MM-dd HH:mm:ss[.fff])")
        }
        self = parsed
    }
}

extension NexmarkTimestamp: FastJSONEncodable {
    /// The Flink SQL text, written from the stack: no String is made for it.
    public func encode(json: inout JSONOutput) throws(JSONError) {
        withFlinkSQL { json.string(utf8: $0) }
    }
}
