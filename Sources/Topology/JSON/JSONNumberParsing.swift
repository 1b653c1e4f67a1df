/// Converts already-validated JSON number literals to Swift numbers.
///
/// Integers are parsed exactly with overflow checks. Floating-point numbers take Clinger's fast
/// path when it is provably exact (at most 2^53 significant value and a power of ten up to 10^22,
/// where one IEEE multiply or divide of two exact values rounds correctly); everything else goes
/// through the standard library's correctly rounded `Double(_:)`/`Float(_:)` on a String.
enum JSONNumberParsing {
    /// The magnitude of an integer literal and its sign; `nil` if it has more than 64 bits.
    @inline(__always) static func integer(_ p: UnsafePointer<UInt8>, _ length: Int) -> (magnitude: UInt64, negative: Bool)? {
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var value: UInt64 = 0
        // 19 digits always fit in a UInt64; only longer literals need overflow checks.
        if length &- i <= 19 {
            // Eight digits at a time where there are eight: a millisecond timestamp's 13 digits
            // were a chain of 13 dependent multiply-adds.
            while length &- i >= 8 {
                value = value &* 100_000_000 &+ eightDigits(p + i)
                i &+= 8
            }
            while i < length {
                value = value &* 10 &+ UInt64(p[i] &- UInt8(ascii: "0"))
                i &+= 1
            }
            return (value, negative)
        }
        while i < length {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(p[i] &- UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = sum
            i &+= 1
        }
        return (value, negative)
    }

    /// An integer literal as `T`, or `nil` if it does not fit.
    @inline(__always) static func fixedWidth<T: FixedWidthInteger>(_ p: UnsafePointer<UInt8>, _ length: Int, as: T.Type) -> T? {
        if T.bitWidth > 64 {  // Int128, UInt128: rare, so through the standard library's parser
            return T(String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self), radix: 10)
        }
        guard let (magnitude, negative) = integer(p, length) else { return nil }
        if !negative { return T(exactly: magnitude) }
        if magnitude == 0 { return 0 }
        guard T.isSigned, magnitude <= UInt64(Int64.max) &+ 1 else { return nil }
        return T(exactly: Int64(truncatingIfNeeded: 0 &- magnitude))
    }

    /// The value of eight ASCII digits (already validated), the first the most significant:
    /// neighbouring digits, then pairs, then quadruples combined by one multiply each.
    @inline(__always) static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64 {
        var v = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        v = ((v & 0x0F0F_0F0F_0F0F_0F0F) &* (10 << 8 + 1)) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
    }

    /// The decimal significand (up to 19 digits), base-10 exponent and sign, if the literal has
    /// at most 19 significant digits and a moderate exponent; `nil` sends callers to the slow path.
    @inline(__always) static func decimal(_ p: UnsafePointer<UInt8>, _ length: Int) -> (significand: UInt64, exponent: Int, negative: Bool)? {
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        while i < length, JSONScanner.isDigit(p[i]) {
            let digit = p[i] &- UInt8(ascii: "0")
            significand = significand &* 10 &+ UInt64(digit)
            if digits > 0 || digit != 0 { digits &+= 1 }  // leading zeros are not significant
            i &+= 1
        }
        if i < length, p[i] == UInt8(ascii: ".") {
            i &+= 1
            while i < length, JSONScanner.isDigit(p[i]) {
                let digit = p[i] &- UInt8(ascii: "0")
                significand = significand &* 10 &+ UInt64(digit)
                if digits > 0 || digit != 0 { digits &+= 1 }
                exponent &-= 1
                i &+= 1
            }
        }
        guard digits <= 19 else { return nil }
        if i < length {  // 'e' or 'E'
            i &+= 1
            var exponentNegative = false
            if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i &+= 1
            }
            var explicit = 0
            while i < length {
                explicit = explicit &* 10 &+ Int(p[i] &- UInt8(ascii: "0"))
                if explicit > 100_000 { return nil }
                i &+= 1
            }
            exponent &+= exponentNegative ? -explicit : explicit
        }
        return (significand, exponent, negative)
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A finite `Double`, or `nil` if the literal overflows to infinity or underflows to zero
    /// while not being zero (Foundation rejects both).
    static func double(_ p: UnsafePointer<UInt8>, _ length: Int) -> Double? {
        if let (significand, exponent, negative) = decimal(p, length) {
            if significand == 0 { return negative ? -0.0 : 0.0 }
            if significand <= 1 &<< 53 && exponent >= -22 && exponent <= 22 {
                let value = Double(significand)
                let scaled = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
                return negative ? -scaled : scaled
            }
        }
        return checked(Double(text(p, length)), p, length)
    }

    /// Like `double`, but rounded once, directly to `Float` (no double rounding through Double).
    static func float(_ p: UnsafePointer<UInt8>, _ length: Int) -> Float? {
        if let (significand, exponent, negative) = decimal(p, length) {
            if significand == 0 { return negative ? -0.0 : 0.0 }
            if significand <= 1 &<< 24 && exponent >= -10 && exponent <= 10 {
                let value = Float(significand)
                let power = Float(powersOfTen[exponent < 0 ? -exponent : exponent])
                let scaled = exponent < 0 ? value / power : value * power
                return negative ? -scaled : scaled
            }
        }
        return checked(Float(text(p, length)), p, length)
    }

    private static func text(_ p: UnsafePointer<UInt8>, _ length: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
    }

    private static func checked<F: BinaryFloatingPoint>(_ value: F?, _ p: UnsafePointer<UInt8>, _ length: Int) -> F? {
        guard let value, value.isFinite else { return nil }
        if value == 0 && hasNonZeroDigit(p, length) { return nil }
        return value
    }

    /// Whether the significand (before any exponent) has a digit other than zero.
    private static func hasNonZeroDigit(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for i in 0..<length {
            let byte = p[i]
            if byte | 0x20 == UInt8(ascii: "e") { return false }
            if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return true }
        }
        return false
    }
}
