/// Turns validated string tokens into Swift Strings.
enum JSONStringDecoding {
    /// Writes the unescaped UTF-8 of a validated string body to `out` (capacity ≥ `length`:
    /// an escape never expands, `\uXXXX` is 6 bytes for at most 3, a surrogate pair 12 for 4).
    /// Returns the number of bytes written.
    static func unescape(_ p: UnsafePointer<UInt8>, _ length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        while i < length {
            // Runs without a backslash are copied eight bytes at a time: `o <= i`, so a whole word
            // written at `o` stays within the `length` bytes `out` holds.
            while length &- i >= 8 {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(out + o).storeBytes(of: word, as: UInt64.self)
                let backslashes = backslashBytes(in: UInt64(littleEndian: word))
                if backslashes == 0 {
                    i &+= 8
                    o &+= 8
                } else {
                    let plain = backslashes.trailingZeroBitCount &>> 3
                    i &+= plain
                    o &+= plain
                    break
                }
            }
            guard i < length else { break }
            let byte = p[i]
            guard byte == UInt8(ascii: "\\") else {
                out[o] = byte
                o &+= 1
                i &+= 1
                continue
            }
            let kind = p[i &+ 1]
            i &+= 2
            switch kind {
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                var scalar = UInt32(hex(p + i))
                i &+= 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {  // the scanner guarantees the low half follows
                    let low = UInt32(hex(p + (i &+ 2)))
                    i &+= 6
                    scalar = 0x10000 &+ ((scalar &- 0xD800) &<< 10) &+ (low &- 0xDC00)
                }
                o &+= encode(scalar, into: out + o)
                continue
            default: out[o] = kind  // \" \\ \/
            }
            o &+= 1
        }
        return o
    }

    @inline(__always) private static func hex(_ p: UnsafePointer<UInt8>) -> UInt16 {
        var unit: UInt16 = 0
        for i in 0..<4 { unit = unit &<< 4 | UInt16(JSONScanner.hexValue(p[i]) ?? 0) }
        return unit
    }

    private static func encode(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar &>> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar &>> 12)
            out[1] = UInt8(0x80 | scalar &>> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar &>> 18)
            out[1] = UInt8(0x80 | scalar &>> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar &>> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// The high bit set in each byte of `word` that is a backslash (exact for the lowest one,
    /// which is all the caller uses).
    @inline(__always) private static func backslashBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* 0x5C)
        return (x &- ones) & ~x & (ones &* 0x80)
    }
}
