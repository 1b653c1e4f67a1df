/// Reading and writing Flink's SQL timestamp text (`TimeFormats.SQL_TIMESTAMP_FORMAT`), by hand:
/// it runs once or twice per generated event, and Foundation's formatters are far slower.
extension NexmarkTimestamp {
    /// Parses `yyyy-MM-dd HH:mm:ss` with an optional `.` and 1 to 9 fraction digits (what
    /// Flink's SQL format reads), truncating the fraction to milliseconds. The year has 4 to 8
    /// digits (8 keep the milliseconds within an `Int64`) and may carry a sign. Returns `nil` for anything else, including invalid dates.
    public init?(flinkSQL text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Self.parse(flinkSQL: $0) }) else { return nil }
        self = parsed
    }

    /// The parser, over the text's bytes: every decoded event has a timestamp, and stepping a
    /// `Substring.UTF8View` by index cost about a tenth of Nexmark q0's CPU.
    static func parse(flinkSQL text: UnsafeBufferPointer<UInt8>) -> NexmarkTimestamp? {
        var at = 0
        let end = text.count
        func isDigit(_ i: Int) -> Bool { i < end && text[i] &- 48 < 10 }
        var sign: Int64 = 1
        if at < end, text[at] == UInt8(ascii: "+") || text[at] == UInt8(ascii: "-") {
            sign = text[at] == UInt8(ascii: "-") ? -1 : 1
            at += 1
        }
        var year: Int64 = 0
        let yearStart = at
        while isDigit(at) && at - yearStart < 9 {
            year = year * 10 + Int64(text[at] - 48)
            at += 1
        }
        guard at - yearStart >= 4, at - yearStart <= 8 else { return nil }
        year *= sign

        func field(_ separator: UInt8) -> Int64? {
            guard end - at >= 3, text[at] == separator, isDigit(at + 1), isDigit(at + 2) else { return nil }
            defer { at += 3 }
            return Int64(text[at + 1] - 48) * 10 + Int64(text[at + 2] - 48)
        }
        guard let month = field(UInt8(ascii: "-")), let day = field(UInt8(ascii: "-")),
            let hour = field(UInt8(ascii: " ")), let minute = field(UInt8(ascii: ":")),
            let second = field(UInt8(ascii: ":")),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var millis: Int64 = 0
        if at < end {
            guard text[at] == UInt8(ascii: "."), (2...10).contains(end - at) else { return nil }
            var scale: Int64 = 100
            for i in (at + 1)..<end {
                guard isDigit(i) else { return nil }
                millis += Int64(text[i] - 48) * scale
                scale /= 10
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return NexmarkTimestamp(millisecondsSinceEpoch: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
    }

    /// Appends the Flink SQL text (see ``NexmarkTimestamp``) as UTF-8.
    func appendFlinkSQL(to bytes: inout [UInt8]) {
        withFlinkSQL { bytes.append(contentsOf: $0) }
    }

    /// The Flink SQL text as a String, allocated once (it is written for every encoded event).
    var flinkSQL: String { withFlinkSQL { String(decoding: $0, as: UTF8.self) } }

    /// Lends the Flink SQL text to `body`, from the stack.
    func withFlinkSQL<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let ms = millisecondsSinceEpoch
        let seconds = floorDivide(ms, 1000)
        let millis = Int(ms - seconds * 1000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        // "yyyy-MM-dd HH:mm:ss.SSS" is 23 bytes; a signed year adds a sign and up to 15 digits.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { text in
            var at = 0
            func put(_ value: Int, digits: Int) {
                var rest = value
                for position in (0..<digits).reversed() {
                    text[at + position] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
                at += digits
            }
            func put(_ character: Unicode.Scalar) {
                text[at] = UInt8(ascii: character)
                at += 1
            }
            if year >= 0 && year <= 9999 {
                put(Int(year), digits: 4)
            } else {
                // Outside Java's four-digit years: a sign, and as many digits as needed (at least 4).
                put(year < 0 ? "-" : "+")
                var digits = 4
                var rest = year.magnitude / 10_000
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                put(Int(year.magnitude), digits: digits)
            }
            put("-")
            put(Int(month), digits: 2)
            put("-")
            put(Int(day), digits: 2)
            put(" ")
            put(secondOfDay / 3600, digits: 2)
            put(":")
            put(secondOfDay / 60 % 60, digits: 2)
            put(":")
            put(secondOfDay % 60, digits: 2)
            if millis != 0 {
                // Java's appendFraction(NANO_OF_SECOND, 0, 9, true): the fraction without trailing zeros.
                put(".")
                if millis % 10 != 0 {
                    put(millis, digits: 3)
                } else if millis % 100 != 0 {
                    put(millis / 10, digits: 2)
                } else {
                    put(millis / 100, digits: 1)
                }
            }
            return body(UnsafeBufferPointer(rebasing: text[0..<at]))
        }
    }

    /// Proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`, exact over the whole `Int64` millisecond range).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // March is 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
