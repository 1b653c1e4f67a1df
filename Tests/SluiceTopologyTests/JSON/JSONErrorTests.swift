import Foundation
import SluiceTopology
import Testing

/// Malformed input and mismatched types: always a thrown JSONError (never a trap), with a
/// useful code, offset and path, and a description that never repeats the payload.
@Suite struct JSONErrorTests {
    static let secret = "SECRET-PII-4711"

    @Test(arguments: [
        "", " ", "{", "[", "}", "]", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}",
        "{a:1}", "{\"a\":1}}", "[1]]", "[1] x", "1 2", "01", "-", "1.e5", "\"abc", "\"\\", "\"\\u12\"", "\"\\q\"", "tru",
        "nulll", "[\"\u{01}\"]", "{\"\(secret)\" \"\(secret)\"}", "[\"\(secret)\", \(secret)]", "\"\(secret)\\x\"", "\u{0}",
        "{\"a\":1,\"a\"}", "[[[[[[[[", "{\"x\":[1,2,{\"y\":\"\(secret)\"]}",
    ])
    func malformedInputThrows(json: String) throws {
        let error = try #require(decodingError(AnyJSON.self, json))
        #expect(error.code == .syntax || error.code == .nestingTooDeep)
        #expect(error.offset != nil)
        #expect(!error.description.contains(Self.secret))
        #expect(!error.description.contains("\(Self.secret.prefix(6))"))
        // Foundation rejects all of these too, except trailing commas, which it tolerates.
        let foundation = try? JSONDecoder().decode(AnyJSON.self, from: Data(json.utf8))
        #expect(foundation == nil || json.contains(",}") || json.contains(",]"))
    }

    @Test func errorsCarryCodeOffsetAndPathButNoPayload() throws {
        struct Person: Decodable {
            var name: Int
        }
        let mismatch = try #require(decodingError([Person].self, "[{\"name\":1},{\"name\":\"\(Self.secret)\"}]"))
        #expect(mismatch.code == .typeMismatch)
        #expect(mismatch.codingPath == "[1].name")
        #expect(mismatch.offset == 20)  // the opening quote of the string
        #expect(!mismatch.description.contains(Self.secret))
        #expect(mismatch.description.contains("name"))

        let missing = try #require(decodingError([Person].self, "[{\"name\":1},{\"nom\":\"\(Self.secret)\"}]"))
        #expect(missing.code == .keyNotFound)
        #expect(missing.codingPath == "[1]")
        #expect(missing.reason.contains("'name'"))
        #expect(!missing.description.contains(Self.secret))

        let null = try #require(decodingError(Person.self, "{\"name\":null}"))
        #expect(null.code == .valueNotFound)
        #expect(null.codingPath == "name")

        let overflow = try #require(decodingError([String: UInt8].self, "{\"k\":256}"))
        #expect(overflow.code == .numberOutOfRange)
        #expect(overflow.codingPath == "k")

        let end = try #require(decodingError(Flattened.self, #"{"info":{"a":1,"list":[]},"pairs":[[1]]}"#))
        #expect(end.code == .valueNotFound)
        #expect(end.codingPath == "pairs[0][1]")
    }

    /// A type's own error may quote the value in its debug description; ours must not.
    @Test func userErrorsAreWrappedWithoutTheirDescription() throws {
        struct Strict: Decodable {
            init(from decoder: any Decoder) throws {
                let value = try decoder.singleValueContainer().decode(String.self)
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad value \(value)"))
            }
        }
        struct Custom: Error {}
        struct Throwing: Decodable {
            init(from decoder: any Decoder) throws { throw Custom() }
        }
        let corrupted = try #require(decodingError([Strict].self, "[\"\(Self.secret)\"]"))
        #expect(corrupted.code == .dataCorrupted)
        #expect(corrupted.codingPath == "[0]")
        #expect(!corrupted.description.contains(Self.secret))
        #expect(corrupted.underlying is DecodingError)

        let custom = try #require(decodingError(Throwing.self, "{}"))
        #expect(custom.code == .underlying)
        #expect(custom.underlying is Custom)
    }

    @Test func invalidUTF8AndControlCharactersThrow() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0x01, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]] {
            #expect(throws: JSONError.self) { try FastJSONDecoder().decode(AnyJSON.self, from: bytes) }
        }
    }

    @Test func encodingErrors() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: JSONError.self) { try FastJSONEncoder().encode(value) }
            #expect(throws: JSONError.self) { try FastJSONEncoder().encode(["x": [value]]) }
        }
        #expect(throws: JSONError.self) { try FastJSONEncoder().encode(Float.nan) }
        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(throws: JSONError.self) { try FastJSONEncoder().encode(Empty()) }
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var single = encoder.singleValueContainer()
                try single.encode(1)
                try single.encode(2)
            }
        }
        #expect(throws: JSONError.self) { try FastJSONEncoder().encode(Twice()) }
        do {
            _ = try FastJSONEncoder().encode(["a": ["b": Double.nan]])
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.codingPath == "a.b")
        }
    }
}
