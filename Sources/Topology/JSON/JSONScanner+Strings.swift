extension JSONScanner {
    /// Scans a string body from just after the opening quote to just after the closing one,
    /// validating escapes and UTF-8. Returns `JSONToken.escaped` if it holds a backslash.
    ///
    /// Plain runs are skipped eight bytes at a time: a word is "boring" when it holds no quote,
    /// no backslash, no control character and no byte ≥ 0x80.
    @inline(__always) static func scanString(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ pos: inout Int) throws(JSONError) -> UInt8 {
        var flags: UInt8 = 0
        while true {
            while end &- pos >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes + pos).loadUnaligned(as: UInt64.self))
                let special = specialBytes(in: word)
                if special == 0 {
                    pos &+= 8
                } else {
                    // The lowest flagged byte is exact (borrows only run towards higher bytes).
                    pos &+= special.trailingZeroBitCount &>> 3
                    break
                }
            }
            guard pos < end else { throw error("unterminated string", at: pos) }
            let byte = bytes[pos]
            switch byte {
            case UInt8(ascii: "\""):
                pos &+= 1
                return flags
            case UInt8(ascii: "\\"):
                flags = JSONToken.escaped
                pos = try scanEscape(bytes, end, pos)
            case 0..<0x20:
                throw error("unescaped control character in string", at: pos)
            case 0x80...:
                pos = try scanMultiByteScalar(bytes, end, pos, lead: byte)
            default:
                pos &+= 1
            }
        }
    }

    /// A mask with the high bit set in every byte of `word` that needs a closer look.
    @inline(__always) static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = word &- (ones &* 0x20)  // borrows into the high bit for bytes < 0x20
        return (isQuote | isBackslash | isControl | word) & highs
    }

    /// Validates one escape sequence starting at the backslash at `start`; returns the offset after it.
    private static func scanEscape(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ start: Int) throws(JSONError) -> Int {
        var position = start
        guard end &- position >= 2 else { throw error("unterminated string", at: position) }
        switch bytes[position &+ 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position &+= 2
        case UInt8(ascii: "u"):
            let unit = try hexUnit(bytes, end, at: position &+ 2)
            position &+= 6
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error("unpaired low surrogate in \\u escape", at: start)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard end &- position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position &+ 1] == UInt8(ascii: "u")
                else { throw error("unpaired high surrogate in \\u escape", at: start) }
                let low = try hexUnit(bytes, end, at: position &+ 2)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw error("unpaired high surrogate in \\u escape", at: start) }
                position &+= 6
            }
        default:
            throw error("invalid escape sequence in string", at: position)
        }
        return position
    }

    /// Reads four hex digits as a UTF-16 code unit.
    private static func hexUnit(_ bytes: UnsafePointer<UInt8>, _ end: Int, at offset: Int) throws(JSONError) -> UInt16 {
        guard end &- offset >= 4 else { throw error("unterminated \\u escape", at: offset) }
        var unit: UInt16 = 0
        for i in 0..<4 {
            guard let digit = hexValue(bytes[offset &+ i]) else { throw error("invalid hex digit in \\u escape", at: offset &+ i) }
            unit = unit &<< 4 | UInt16(digit)
        }
        return unit
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Validates one multi-byte UTF-8 scalar (Unicode Table 3-7: no overlongs, no surrogates, ≤ U+10FFFF).
    private static func scanMultiByteScalar(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ position: Int, lead: UInt8) throws(JSONError) -> Int {
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw error("invalid UTF-8 in string", at: position)
        }
        guard end &- position >= length else { throw error("invalid UTF-8 in string", at: position) }
        let second = bytes[position &+ 1]
        guard second >= secondLow && second <= secondHigh else { throw error("invalid UTF-8 in string", at: position) }
        for i in 2..<max(length, 2) where bytes[position &+ i] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 in string", at: position)
        }
        return position &+ length
    }
}
