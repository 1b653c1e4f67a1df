import SluiceTopology

/// An interactive query's answer, ready for HTTP: a status, a JSON body, and the headers that
/// send a client elsewhere or ask it to come back.
public struct QueryResponse: Sendable, Hashable {
    /// 200 answered; 307 another worker owns the key (`location`); 400 a bad key or parameter;
    /// 404 no such store, or no value for the key; 500 the store failed; 503 not answerable now
    /// (restoring, rebalancing, busy: see `retryAfter`).
    public var status: Int
    /// JSON: the answer, or `{"error": "...", ...}`.
    public var body: String
    /// Where to ask instead (307): the owner's advertised URL with the same path and query.
    public var location: String?
    /// Seconds after which asking again may succeed (503).
    public var retryAfter: Int?

    public init(status: Int, body: String, location: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.body = body
        self.location = location
        self.retryAfter = retryAfter
    }

    static func ok(_ fields: [(String, String)]) -> QueryResponse {
        QueryResponse(status: 200, body: QueryJSON.object(fields))
    }

    /// An error answer: `{"error": message}` followed by `fields`.
    static func error(_ status: Int, _ message: String, _ fields: [(String, String)] = [], retryAfter: Int? = nil) -> QueryResponse {
        QueryResponse(status: status, body: QueryJSON.object([("error", QueryJSON.string(message))] + fields), retryAfter: retryAfter)
    }
}
