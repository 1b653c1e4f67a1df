import Sluice

/// The rules of the cleaning stage, apart from the topology so they can be tested alone.
public enum EventCleaning {
    public static let types: Set<String> = ["track", "page", "screen", "identify", "group", "alias"]

    /// Properties that may leave the cleaning stage; anything else (free text, personal data)
    /// is dropped.
    public static let allowedProperties: Set<String> = [
        "product_id", "category", "price", "currency", "quantity", "position", "order_id", "revenue", "total",
        "path", "title", "url", "referrer", "search", "plan", "method", "screen", "coupon",
    ]

    /// Validates `raw` and puts it in the standard shape.
    /// - Throws: `InvalidEvent` naming the first rule it breaks.
    public static func clean(_ raw: RawEvent) throws -> CleanEvent {
        guard let type = raw.type, types.contains(type) else {
            throw InvalidEvent(reason: "type \(raw.type.map { "\"\($0)\"" } ?? "missing") is not one of \(types.sorted())")
        }
        guard let messageID = raw.messageId, !messageID.isEmpty else { throw InvalidEvent(reason: "messageId missing") }
        let user: String
        if let id = raw.userId, !id.isEmpty {
            user = id
        } else if let anonymous = raw.anonymousId, !anonymous.isEmpty {
            user = "anon:" + anonymous
        } else {
            throw InvalidEvent(reason: "neither userId nor anonymousId")
        }
        guard let text = raw.timestamp else { throw InvalidEvent(reason: "timestamp missing") }
        guard let millis = ISO8601Millis.parse(text) else { throw InvalidEvent(reason: "timestamp \"\(text)\" is not ISO 8601") }
        let name = raw.event ?? raw.name ?? type
        if type == "track" && raw.event == nil { throw InvalidEvent(reason: "a track event needs a name (event)") }
        return CleanEvent(
            eventID: messageID, userID: user, type: type, name: name, category: category(type: type, name: name),
            timestamp: millis, properties: (raw.properties ?? [:]).filter { allowedProperties.contains($0.key) },
            device: raw.context?.device?.type, locale: raw.context?.locale, app: raw.context?.app?.name)
    }

    /// The business category an event is routed by.
    public static func category(type: String, name: String) -> String {
        switch type {
        case "identify", "group", "alias": return "account"
        case "page", "screen": return "engagement"
        default: break
        }
        let lower = name.lowercased()
        if ["order", "product", "cart", "checkout", "coupon", "payment"].contains(where: lower.contains) { return "commerce" }
        if ["signed", "login", "logout", "account", "password"].contains(where: lower.contains) { return "account" }
        if ["viewed", "clicked", "scrolled", "shared", "searched", "video"].contains(where: lower.contains) { return "engagement" }
        return "other"
    }
}

/// ISO 8601 date-times (`2024-05-01T10:15:30.120Z`, `...+02:00`) to epoch milliseconds, by hand:
/// Foundation's formatters cost microseconds per call, which a per-event path cannot afford.
public enum ISO8601Millis {
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
            let day = digits(8, 2), b[10] == 84 || b[10] == 116, let hour = digits(11, 2), b[13] == 58,
            let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 100
            var any = false
            while i < b.count, (48...57).contains(b[i]) {
                millis += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
                any = true
            }
            guard any else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = digits(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let om = digits(i + 4, 2) {
            offset = (oh * 60 + om) * (b[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
