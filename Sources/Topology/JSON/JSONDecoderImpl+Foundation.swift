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
