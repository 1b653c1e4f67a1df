import Sluice

/// A dead-letter topic's records counted by operator and reason, with the first error of each.
///
/// The reason is the error's text up to its first colon: errors say what went wrong before they
/// say which record it was (`late: ...`), so the per-record detail does not split the counts.
struct DeadLetterReasons: CustomStringConvertible {
    struct Reason: Hashable {
        var operation: String
        var reason: String
    }
    private(set) var counts: [Reason: Int] = [:]
    private(set) var examples: [Reason: String] = [:]

    static func read(_ topic: String, bootstrap: String) throws -> DeadLetterReasons {
        var reasons = DeadLetterReasons()
        try TopicReader.records(topic, bootstrap: bootstrap) { record in
            let headers = record.headers
            let error = headers.string(DeadLetterHeaders.error) ?? "(no error header)"
            let reason = Reason(
                operation: headers.string(DeadLetterHeaders.operation) ?? "(no operator header)",
                reason: String(error.prefix { $0 != ":" }))
            reasons.counts[reason, default: 0] += 1
            if reasons.examples[reason] == nil { reasons.examples[reason] = error }
        }
        return reasons
    }

    var description: String {
        counts.sorted { $0.value > $1.value }.map { reason, count in
            "  \(count) at \(reason.operation): \(examples[reason] ?? reason.reason)\n"
        }.joined()
    }
}
