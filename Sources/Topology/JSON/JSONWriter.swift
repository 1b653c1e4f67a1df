/// Appends JSON text for scalars to a byte buffer, formatted as Foundation's `JSONEncoder`
/// formats them by default (so outputs can be compared byte for byte).
enum JSONWriter {
    /// A quoted, escaped string. Like Foundation, escapes `/` as `\/` and control characters
    /// as `\b \f \n \r \t` or lowercase `\u00XX`; everything else is copied as UTF-8.
    static func appendString(_ string: String, to out: inout JSONByteBuffer) {
        // Not `withUTF8`: it is mutating, so it needs a copy of the string, and it cost as much as
        // writing the string.
        if string.utf8.withContiguousStorageIfAvailable({ appendString(utf8: $0, to: &out) }) == nil {
            var string = string
            string.withUTF8 { appendString(utf8: $0, to: &out) }
        }
    }

    static func appendString(utf8: UnsafeBufferPointer<UInt8>, to out: inout JSONByteBuffer) {
        guard let p = utf8.baseAddress, utf8.count > 0 else { return appendStatic("\"\"", to: &out) }
        let n = utf8.count
        // Most strings need no escape: checked first, they are written with one capacity check.
        if isPlain(p, n) {
            let t = out.appendUninitialized(n &+ 2)
            t[0] = UInt8(ascii: "\"")
            JSONByteBuffer.copy(p, to: t + 1, n)
            t[n &+ 1] = UInt8(ascii: "\"")
            return
        }
        appendEscaping(p, n, to: &out)
    }

    /// `appendString` for a string with at least one byte to escape.
    private static func appendEscaping(_ p: UnsafePointer<UInt8>, _ n: Int, to out: inout JSONByteBuffer) {
        out.reserve(n &+ 2)
        out.append(UInt8(ascii: "\""))
        var i = 0
        var runStart = 0
        while i < n {
            // Eight bytes at a time, the last few too (padded): most strings are short, and
            // checking their bytes one by one cost more than copying them.
            let remaining = n &- i
            let word = remaining >= 8 ? UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) : paddedWord(p + i, remaining)
            let special = escapeCandidates(in: word)
            // The lowest flagged byte is exact, so padding is flagged only when nothing before it is.
            let clean = special == 0 ? 8 : special.trailingZeroBitCount &>> 3
            if clean >= remaining { break }
            i &+= clean
            if clean == 8 { continue }
            let byte = p[i]
            if needsEscape(byte) {
                out.append(p + runStart, count: i &- runStart)
                appendEscape(byte, to: &out)
                runStart = i &+ 1
            }
            i &+= 1
        }
        out.append(p + runStart, count: n &- runStart)
        out.append(UInt8(ascii: "\""))
    }

    /// The `count` (< 8) bytes at `p` as a little-endian word, the rest spaces (which need no
    /// escape), read with loads that stay inside the bytes.
    @inline(__always) static func paddedWord(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        ShortLoads.word(p, count) | 0x2020_2020_2020_2020 &<< UInt64(truncatingIfNeeded: count &* 8)
    }

    /// `"key":`, for a key written in the source. Keys are short and plain: checked a word at a
    /// time and copied whole, they skip the escape path, which for a record's keys cost as much as
    /// for its values.
    /// `comma`: the key follows another member, so a comma goes first.
    @inline(__always) static func appendKey(_ key: StaticString, comma: Bool, to out: inout JSONByteBuffer) {
        let p = key.utf8Start
        let n = key.utf8CodeUnitCount
        guard isPlain(p, n) else {
            if comma { out.append(UInt8(ascii: ",")) }
            appendString(utf8: UnsafeBufferPointer(start: p, count: n), to: &out)
            return out.append(UInt8(ascii: ":"))
        }
        let lead = comma ? 1 : 0
        let t = out.appendUninitialized(n &+ 3 &+ lead)
        t[0] = UInt8(ascii: ",")  // overwritten by the quote when there is no comma
        t[lead] = UInt8(ascii: "\"")
        JSONByteBuffer.copy(p, to: t + (lead &+ 1), n)
        t[lead &+ n &+ 1] = UInt8(ascii: "\"")
        t[lead &+ n &+ 2] = UInt8(ascii: ":")
    }

    /// Whether none of the `n` bytes at `p` needs escaping.
    @inline(__always) private static func isPlain(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while n &- i >= 8 {
            if escapeCandidates(in: UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))) != 0 { return false }
            i &+= 8
        }
        return i == n || escapeCandidates(in: paddedWord(p + i, n &- i)) == 0
    }

    /// High bit set in each byte of `word` that is `"`, `\\`, `/` or below 0x20 (exact for the
    /// lowest flagged byte, which is all the caller relies on).
    @inline(__always) private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    @inline(__always) private static func escapeCandidates(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let slash = word ^ (ones &* 0x2F)
        return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (slash &- ones) & ~slash
            | (word &- ones &* 0x20) & ~word) & highs
    }

    private static func appendEscape(_ byte: UInt8, to out: inout JSONByteBuffer) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            appendStatic("u00", to: &out)
            out.append(hex.utf8Start[Int(byte >> 4)])
            out.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    @inline(__always) static func appendBool(_ value: Bool, to out: inout JSONByteBuffer) {
        appendStatic(value ? "true" : "false", to: &out)
    }

    /// Appends ASCII text known at compile time, without building an array or a String.
    @inline(__always) static func appendStatic(_ text: StaticString, to out: inout JSONByteBuffer) {
        out.append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// An integer in decimal, without going through `String`.
    @inline(__always) static func appendInteger<T: FixedWidthInteger>(_ value: T, to out: inout JSONByteBuffer) {
        if T.bitWidth > 64 {  // Int128, UInt128
            var text = String(value)
            return text.withUTF8 { out.append($0.baseAddress!, count: $0.count) }
        }
        let magnitude = UInt64(value.magnitude)
        let sign = value < 0 ? 1 : 0
        let digits = decimalDigits(magnitude)
        let start = out.appendUninitialized(sign &+ digits)
        start[0] = UInt8(ascii: "-")  // overwritten by a digit when there is no sign
        writeDigits(magnitude, count: digits, to: start + sign)
    }

    /// Writes the last `count` decimal digits of `value` at `start`, zero-padded. Two digits per
    /// division, from the end: a 13-digit timestamp takes 7 divisions, not 13.
    @inline(__always) private static func writeDigits(_ value: UInt64, count: Int, to start: UnsafeMutablePointer<UInt8>) {
        var value = value
        var i = count
        let pairs = digitPairs.utf8Start
        while i >= 2 {
            let pair = Int(truncatingIfNeeded: value % 100) &<< 1
            value /= 100
            i &-= 2
            start[i] = pairs[pair]
            start[i &+ 1] = pairs[pair &+ 1]
        }
        if i == 1 { start[0] = UInt8(truncatingIfNeeded: value % 10) &+ UInt8(ascii: "0") }
    }

    /// "00" through "99", the two digits of each number below 100.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// How many decimal digits `value` has (1 for zero).
    @inline(__always) private static func decimalDigits(_ value: UInt64) -> Int {
        // log10 from the bit length (1233/4096 ≈ log10(2)), then one comparison to correct it.
        if value == 0 { return 1 }
        let bits = 64 &- value.leadingZeroBitCount
        let guess = (bits &* 1233) &>> 12
        return guess &+ (value >= powersOfTen[guess] ? 1 : 0)
    }

    // Written out: a literal array is laid out at compile time, where one computed by `map` was
    // made on first use behind a `swift_once` that every integer written then called.
    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// A finite binary floating-point number, as Swift's shortest round-tripping `description`
    /// minus a trailing `.0` (Foundation writes `1`, not `1.0`). The caller rejects non-finite values.
    @inline(__always) static func appendFloatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, to out: inout JSONByteBuffer) {
        // Integers that fit the significand print as plain digits plus ".0" in `description`;
        // skip the String for them. (-0 must keep its sign, so it takes the general path.)
        if let integer = Int64(exactly: value), integer.magnitude < 1 << F.significandBitCount, !(value == 0 && value.sign == .minus) {
            return appendInteger(integer, to: &out)
        }
        if F.self == Double.self, appendShortDecimal(Double(value), to: &out) { return }
        var text = value.description
        text.withUTF8 { utf8 in
            var count = utf8.count
            if count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0") { count -= 2 }
            out.append(utf8.baseAddress!, count: count)
        }
    }

    /// A value with one to four decimals, between 10^-4 and 10^9 in magnitude (prices, amounts,
    /// scores), written as `description` writes it, without it: `description` runs a general
    /// shortest-digits search and builds a String, ten times the cost. Returns `false`, having
    /// written nothing, for any other value.
    ///
    /// The fewest decimals `d` whose nearest `m / 10^d` converts back to `value` give the shortest
    /// digits that round-trip, which `description` prints. In this range a double's neighbours are
    /// far closer than 10^-4, so no other number of at most four decimals converts to it too, and
    /// `value * 10^4` rounded is exact to far below one half: if some `m / 10^d` round-trips, that
    /// product is `m * 10^(4 - d)` and round-trips as well (the same rational, the same rounding).
    /// So one multiplication and one division decide, and the product's trailing zeros give `d`.
    @inline(__always) private static func appendShortDecimal(_ value: Double, to out: inout JSONByteBuffer) -> Bool {
        let magnitude = value.magnitude
        guard magnitude < 1e9, magnitude >= 1e-4 else { return false }
        var units = UInt64(magnitude * 1e4 + 0.5)
        guard Double(units) / 1e4 == magnitude else { return false }
        var decimals = 4
        while decimals > 1 && units % 10 == 0 {
            units /= 10
            decimals &-= 1
        }
        let unit = powersOfTen[decimals]
        let whole = units / unit
        let sign = value < 0 ? 1 : 0
        let wholeDigits = decimalDigits(whole)
        let start = out.appendUninitialized(sign &+ wholeDigits &+ 1 &+ decimals)
        start[0] = UInt8(ascii: "-")  // overwritten by a digit when there is no sign
        writeDigits(whole, count: wholeDigits, to: start + sign)
        start[sign &+ wholeDigits] = UInt8(ascii: ".")
        writeDigits(units % unit, count: decimals, to: start + (sign &+ wholeDigits &+ 1))
        return true
    }
}
