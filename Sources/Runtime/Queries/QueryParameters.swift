import Foundation

/// The query string of an interactive query, checked: `from`, `to`, `prefix`, `limit`, `partitions`.
struct QueryParameters {
    /// Keys (ranges) or times (window and session fetches), as given.
    var from: String?
    var to: String?
    var prefix: String?
    /// Most entries a range answer holds. Default: 1,000; at most 100,000.
    var limit = 1_000
    /// Partitions a range query is restricted to (to follow an answer's `elsewhere`).
    var partitions: [Int32]?
    /// Every parameter, in order, for links to other workers.
    var all: [(String, String)]

    static let names = ["from", "to", "prefix", "limit", "partitions"]
    static let maxLimit = 100_000

    /// - Throws: a message naming the bad parameter.
    init(_ parameters: [(String, String)]) throws(QueryParameterError) {
        all = parameters
        for (name, value) in parameters {
            switch name {
            case "from": from = value
            case "to": to = value
            case "prefix": prefix = value
            case "limit":
                guard let n = Int(value), (1...Self.maxLimit).contains(n) else {
                    throw QueryParameterError("limit must be a whole number from 1 to \(Self.maxLimit), not \"\(value)\"")
                }
                limit = n
            case "partitions":
                let parts = value.split(separator: ",").map { Int32($0.trimmingCharacters(in: .whitespaces)) }
                guard !parts.isEmpty, parts.allSatisfy({ $0.map { $0 >= 0 } ?? false }) else {
                    throw QueryParameterError("partitions must be partition numbers separated by commas, not \"\(value)\"")
                }
                partitions = parts.map { $0! }
            default:
                throw QueryParameterError("unknown parameter \"\(name)\"; a query takes \(Self.names.joined(separator: ", "))")
            }
        }
    }

    /// `from` or `to` as a time: epoch milliseconds, or ISO 8601 (`2024-05-01T10:00:00Z`,
    /// fractional seconds and offsets allowed).
    static func time(_ text: String?, _ name: String) throws(QueryParameterError) -> Int64? {
        guard let text else { return nil }
        if let ms = Int64(text) { return ms }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        throw QueryParameterError("\(name) must be epoch milliseconds or an ISO 8601 time such as 2024-05-01T10:00:00Z, not \"\(text)\"")
    }

    /// The query string of `all` with `partitions` replaced.
    func queryString(partitions: [Int32]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+;#")
        let kept = all.filter { $0.0 != "partitions" } + [("partitions", partitions.map(String.init).joined(separator: ","))]
        return kept.map { name, value in "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)" }
            .joined(separator: "&")
    }
}

/// A bad parameter of an interactive query (HTTP 400).
struct QueryParameterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
