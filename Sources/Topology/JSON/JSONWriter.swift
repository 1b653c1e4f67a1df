/// Appends JSON text for scalars to a byte buffer, formatted as Foundation's `JSONEncoder`
/// formats them by default (so outputs can be compared byte for byte).
enum JSONWriter {
    /// A quoted, escaped string. Like Foundation, escapes `/` as `\/` and control characters
    /// as `\b \f \n \r \t` or lowercase `\u00XX`; everything else is copied as UTF-8.
    static func appendString(_ string: String, to out: inout JSONByteBuffer) {
        var string = string
        string.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    static func appendString(utf8: UnsafeBufferPointer<UInt8>, to out: inout JSONByteBuffer) {
        let n = utf8.count
        out.reserve(n &+ 2)
        out.append(UInt8(ascii: "\""))
        guard let p = utf8.baseAddress else { return out.append(UInt8(ascii: "\"")) }
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
        let raw = UnsafeRawPointer(p)
        let spaces: UInt64 = 0x2020_2020_2020_2020
        switch count {
        case 4...:
            // Two overlapping 4-byte loads; the overlap holds the same bytes in both.
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            return low | high &<< UInt64((count &- 4) &* 8) | spaces &<< UInt64(count &* 8)
        case 2...:
            let low = UInt64(UInt16(littleEndian: raw.loadUnaligned(as: UInt16.self)))
            let high = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)))
            return low | high &<< UInt64((count &- 2) &* 8) | spaces &<< UInt64(count &* 8)
        case 1:
            return UInt64(p[0]) | spaces &<< 8
        default:
            return spaces
        }
    }

    /// `"key":`, for a key written in the source. Keys are short and plain: checked a word at a
    /// time and copied whole, they skip the escape path, which for a record's keys cost as much as
    /// for its values.
    @inline(__always) static func appendKey(_ key: StaticString, to out: inout JSONByteBuffer) {
        let p = key.utf8Start
        let n = key.utf8CodeUnitCount
        if isPlain(p, n) {
            out.reserve(n &+ 3)
            out.append(UInt8(ascii: "\""))
            out.append(p, count: n)
            out.append(UInt8(ascii: "\""))
        } else {
            appendString(utf8: UnsafeBufferPointer(start: p, count: n), to: &out)
        }
        out.append(UInt8(ascii: ":"))
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
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i &-= 1
                digits[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude != 0
            out.append(digits.baseAddress! + i, count: 20 &- i)
        }
    }

    /// A finite binary floating-point number, as Swift's shortest round-tripping `description`
    /// minus a trailing `.0` (Foundation writes `1`, not `1.0`). The caller rejects non-finite values.
    @inline(__always) static func appendFloatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, to out: inout JSONByteBuffer) {
        // Integers that fit the significand print as plain digits plus ".0" in `description`;
        // skip the String for them. (-0 must keep its sign, so it takes the general path.)
        if let integer = Int64(exactly: value), integer.magnitude < 1 << F.significandBitCount, !(value == 0 && value.sign == .minus) {
            return appendInteger(integer, to: &out)
        }
        var text = value.description
        text.withUTF8 { utf8 in
            var count = utf8.count
            if count >= 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0") { count -= 2 }
            out.append(utf8.baseAddress!, count: count)
        }
    }
}
