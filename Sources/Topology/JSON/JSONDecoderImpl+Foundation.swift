#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The types Foundation's `JSONDecoder` reads differently from their own `Decodable`
/// conformance under its default strategies: `Data` (Base64 string), `URL` (string) and
/// `Decimal` (a JSON number, read exactly). `Date` (seconds since 2001 as a number) and
/// `UUID` (a string) need nothing special: their own conformances already do that.
extension JSONDecoderImpl {
    /// Compares metadata pointers only: cheap enough to run before every nested decode.
    @inline(__always) static func isFoundationValue<T>(_ type: T.Type) -> Bool {
        T.self == Data.self || T.self == URL.self || T.self == Decimal.self
    }
}

extension JSONTapeReader {
    /// Decodes one of the types `isFoundationValue` accepts.
    func unwrapFoundationValue<T>(_ type: T.Type, at index: Int) throws(JSONError) -> T {
        let value: Any
        if T.self == Data.self {
            value = try decodeData(at: index)
        } else if T.self == URL.self {
            value = try decodeURL(at: index)
        } else {
            value = try decodeDecimal(at: index)
        }
        return value as! T  // swiftlint:disable:this force_cast (T is exactly that type, checked above)
    }

    private func decodeData(at index: Int) throws(JSONError) -> Data {
        guard tape[index].kind == .string else { throw mismatch(Data.self, at: index) }
        let text = try decodeString(at: index)
        guard let data = Data(base64Encoded: text) else {
            throw error(.dataCorrupted, "encountered Data is not valid Base64", at: index)
        }
        return data
    }

    private func decodeURL(at index: Int) throws(JSONError) -> URL {
        guard tape[index].kind == .string else { throw mismatch(URL.self, at: index) }
        let text = try decodeString(at: index)
        guard let url = URL(string: text) else { throw error(.dataCorrupted, "invalid URL string", at: index) }
        return url
    }

    private func decodeDecimal(at index: Int) throws(JSONError) -> Decimal {
        let token = tape[index]
        guard token.kind == .number else { throw mismatch(Decimal.self, at: index) }
        let text = String(decoding: UnsafeBufferPointer(start: input + Int(token.start), count: Int(token.length)), as: UTF8.self)
        guard let decimal = Decimal(string: text) else {
            throw error(.numberOutOfRange, "number does not fit in Decimal", at: index)
        }
        return decimal
    }
}

extension JSONTapeReader {
    /// Foundation's slow path for integers written with a fraction or an exponent: through
    /// `Double` when that is exact (below 2^53), otherwise through `Decimal`, converted the way
    /// Foundation converts it (so `1e-400`, which `Double` rejects, reads as 0 there too).
    static func integerFromNonIntegerLiteral<T: FixedWidthInteger>(_ p: UnsafePointer<UInt8>, _ length: Int, as: T.Type) -> T? {
        if let double = JSONNumberParsing.double(p, length) {
            guard let value = T(exactly: double) else { return nil }
            if double.magnitude < 0x1p53 { return value }
        }
        let text = String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
        guard let decimal = Decimal(string: text) else {
            // Foundation's own Decimal parser turns literals too small for Double (1e-400) into
            // 0, where the public `Decimal(string:)` gives up; anything else fails there too.
            return Double(text) == 0 ? 0 : nil
        }
        return integer(from: decimal)
    }

    /// Foundation's `FixedWidthInteger.init?(_: Decimal)`, through `Decimal`'s plain-digit
    /// `description` (its mantissa fields are not public here): all significant digits must fit
    /// 64 bits, and the fraction is truncated.
    private static func integer<T: FixedWidthInteger>(from decimal: Decimal) -> T? {
        var all: UInt64 = 0
        var integerPart: UInt64 = 0
        var negative = false
        var inFraction = false
        for byte in decimal.description.utf8 {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (shifted, o1) = all.multipliedReportingOverflow(by: 10)
                let (sum, o2) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !o1 && !o2 else { return nil }
                all = sum
                if !inFraction { integerPart = integerPart * 10 + UInt64(byte - UInt8(ascii: "0")) }
            default: return nil  // not plain digits (NaN): Foundation fails here too
            }
        }
        if negative && !T.isSigned { return nil }
        guard let sized = T(exactly: integerPart) else { return nil }
        return negative ? 0 - sized : sized
    }
}
