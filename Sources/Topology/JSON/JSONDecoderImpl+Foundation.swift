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
    @inline(__always) func unwrapFoundationValue<T>(_ type: T.Type, at index: Int, key: (any CodingKey)?) throws(JSONError) -> T? {
        if T.self == Data.self { return try decodeData(at: index, key: key) as? T }
        if T.self == URL.self { return try decodeURL(at: index, key: key) as? T }
        if T.self == Decimal.self { return try decodeDecimal(at: index, key: key) as? T }
        return nil
    }

    private func decodeData(at index: Int, key: (any CodingKey)?) throws(JSONError) -> Data {
        guard tape[index].kind == .string else { throw mismatch(Data.self, at: index, key: key) }
        let text = try decodeString(at: index, key: key)
        guard let data = Data(base64Encoded: text) else {
            throw error(.dataCorrupted, "encountered Data is not valid Base64", at: index, key: key)
        }
        return data
    }

    private func decodeURL(at index: Int, key: (any CodingKey)?) throws(JSONError) -> URL {
        guard tape[index].kind == .string else { throw mismatch(URL.self, at: index, key: key) }
        let text = try decodeString(at: index, key: key)
        guard let url = URL(string: text) else { throw error(.dataCorrupted, "invalid URL string", at: index, key: key) }
        return url
    }

    private func decodeDecimal(at index: Int, key: (any CodingKey)?) throws(JSONError) -> Decimal {
        let token = tape[index]
        guard token.kind == .number else { throw mismatch(Decimal.self, at: index, key: key) }
        let text = String(decoding: UnsafeBufferPointer(start: input + Int(token.start), count: Int(token.length)), as: UTF8.self)
        guard let decimal = Decimal(string: text) else {
            throw error(.numberOutOfRange, "number does not fit in Decimal", at: index, key: key)
        }
        return decimal
    }
}
