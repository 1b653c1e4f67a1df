extension JSONScanner {
    /// Validates a number against RFC 8259's grammar:
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    /// Returns `JSONToken.nonInteger` if it has a fraction or an exponent.
    @inline(__always) static func scanNumber(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ pos: inout Int) throws(JSONError) -> UInt8 {
        var flags: UInt8 = 0
        if bytes[pos] == UInt8(ascii: "-") { pos &+= 1 }
        guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number, expected a digit", at: pos) }
        let first = bytes[pos]
        pos &+= 1
        if first == UInt8(ascii: "0") {
            if pos < end, isDigit(bytes[pos]) { throw error("invalid number, leading zeros are not allowed", at: pos) }
        } else {
            skipDigits(bytes, end, &pos)
        }
        if pos < end, bytes[pos] == UInt8(ascii: ".") {
            pos &+= 1
            flags = JSONToken.nonInteger
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number, expected a digit after '.'", at: pos) }
            skipDigits(bytes, end, &pos)
        }
        if pos < end, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            pos &+= 1
            flags = JSONToken.nonInteger
            if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos &+= 1 }
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number, expected a digit in the exponent", at: pos) }
            skipDigits(bytes, end, &pos)
        }
        return flags
    }

    @inline(__always) private static func skipDigits(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ pos: inout Int) {
        while pos < end && isDigit(bytes[pos]) { pos &+= 1 }
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
