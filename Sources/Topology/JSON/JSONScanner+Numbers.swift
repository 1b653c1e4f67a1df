extension JSONScanner {
    /// Validates a number against RFC 8259's grammar:
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    /// Returns `JSONToken.nonInteger` if it has a fraction or an exponent.
    @inline(__always) mutating func scanNumber() throws(JSONError) -> UInt8 {
        var flags: UInt8 = 0
        if bytes[position] == UInt8(ascii: "-") { position &+= 1 }
        guard let first = peek(), Self.isDigit(first) else { throw error("invalid number, expected a digit") }
        position &+= 1
        if first == UInt8(ascii: "0") {
            if let next = peek(), Self.isDigit(next) { throw error("invalid number, leading zeros are not allowed") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            position &+= 1
            flags = JSONToken.nonInteger
            guard let digit = peek(), Self.isDigit(digit) else { throw error("invalid number, expected a digit after '.'") }
            skipDigits()
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            position &+= 1
            flags = JSONToken.nonInteger
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position &+= 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw error("invalid number, expected a digit in the exponent") }
            skipDigits()
        }
        return flags
    }

    @inline(__always) private mutating func skipDigits() {
        while position < end && Self.isDigit(bytes[position]) { position &+= 1 }
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
