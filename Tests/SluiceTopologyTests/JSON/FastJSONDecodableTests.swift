import Foundation
import SluiceTopology
import Testing

/// Types that read themselves off the tape (`FastJSONDecodable`): the same values as `Codable`,
/// errors with offsets and paths, and `JSONSerde` choosing them.
@Suite struct FastJSONDecodableTests {
    struct Line: Codable, Equatable, FastJSONDecodable {
        var sku: String
        var quantity: Int
        var price: Double

        init(sku: String, quantity: Int, price: Double) {
            self.sku = sku
            self.quantity = quantity
            self.price = price
        }

        init(json: JSONView) throws(JSONError) {
            let object = try json.object()
            self.init(sku: try object["sku"].string(), quantity: try object["quantity"].int(), price: try object["price"].double())
        }
    }

    struct Order: Codable, Equatable, FastJSONDecodable {
        var id: Int64
        var customer: String
        var paid: Bool
        var note: String?
        var lines: [Line]
        var rush: UInt8?

        init(json: JSONView) throws(JSONError) {
            let object = try json.object()
            id = try object["id"].int64()
            customer = try object["customer"].string()
            paid = try object["paid"].bool()
            note = try object.ifPresent("note")?.string()
            var lines: [Line] = []
            try object["lines"].forEachElement { line throws(JSONError) in lines.append(try line.decode()) }
            self.lines = lines
            rush = try object.ifPresent("rush")?.integer(UInt8.self)
        }
    }

    static let orders = [
        #"{"id":9007199254740993,"customer":"Zoë \"Z\" Müller","paid":true,"note":null,"lines":[{"sku":"a\/b","quantity":2,"price":19.99},{"price":1e2,"quantity":1.0,"sku":"\u00e9"}]}"#,
        #"{"lines":[],"paid":false,"customer":"","id":-1,"note":"rush","rush":3,"unknown":{"x":[1,2]}}"#,
        #"{"id":1,"customer":"c","paid":true,"lines":[{"sku":"s","quantity":0,"price":-0.5}],"id":2}"#,
    ]

    /// Calls the `Decodable` overload, so that `Codable` decodes through the same decoder.
    static func viaCodable<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try FastJSONDecoder().decode(type, from: Array(json.utf8))
    }

    @Test(arguments: orders)
    func decodesWhatCodableAndFoundationDecode(json: String) throws {
        let fast = try FastJSONDecoder().decode(Order.self, from: Array(json.utf8))
        #expect(fast == (try Self.viaCodable(Order.self, json)))
        #expect(fast == (try JSONDecoder().decode(Order.self, from: Data(json.utf8))))
    }

    @Test func readsMembersInAnyOrderAndTheFirstOfDuplicates() throws {
        let second = try FastJSONDecoder().decode(Order.self, from: Array(Self.orders[1].utf8))
        #expect(second.id == -1 && second.note == "rush" && second.rush == 3 && second.lines.isEmpty)
        let third = try FastJSONDecoder().decode(Order.self, from: Array(Self.orders[2].utf8))
        #expect(third.id == 1)

        // Reading `a` then `b` in order moves the object's lookup hint onto the second `a`; reading
        // `a` again must still find the first.
        struct ABA: Codable, FastJSONDecodable {
            var a: Int
            var b: Int
            var again: Int
            init(json: JSONView) throws(JSONError) {
                let object = try json.object()
                a = try object["a"].int()
                b = try object["b"].int()
                again = try object["a"].int()
            }
        }
        for json in [#"{"a":1,"b":2,"a":3}"#, #"{"a":1,"b":2,"\u0061":3}"#] {
            let read = try FastJSONDecoder().decode(ABA.self, from: Array(json.utf8))
            #expect(read.a == 1 && read.b == 2 && read.again == 1)
        }
    }

    @Test func errorsNameTheKeyPathAndOffsetButNotTheValue() throws {
        let secret = "SECRET-4711"
        func error(_ json: String) -> JSONError? {
            do {
                _ = try FastJSONDecoder().decode(Order.self, from: Array(json.utf8))
                return nil
            } catch {
                return error
            }
        }
        let mismatch = try #require(error(#"{"id":1,"customer":"c","paid":true,"lines":[{"sku":"s","quantity":1,"price":1},{"sku":"t","quantity":"\#(secret)","price":2}]}"#))
        #expect(mismatch.code == .typeMismatch)
        #expect(mismatch.codingPath == "lines[1].quantity")
        #expect(mismatch.offset == 101)  // the opening quote of the string
        #expect(!mismatch.description.contains(secret))

        let missing = try #require(error(#"{"id":1,"customer":"c","paid":true}"#))
        #expect(missing.code == .keyNotFound)
        #expect(missing.reason.contains("lines"))

        let range = try #require(error(#"{"id":1,"customer":"c","paid":true,"lines":[],"rush":256}"#))
        #expect(range.code == .numberOutOfRange)
        #expect(range.codingPath == "rush")

        let notAnObject = try #require(error(#"[1]"#))
        #expect(notAnObject.code == .typeMismatch)
        #expect(notAnObject.codingPath == "")

        let syntax = try #require(error(#"{"id":1,"#))
        #expect(syntax.code == .syntax)
    }

    /// A type whose two initializers leave different marks, to see which one a serde calls.
    struct Marked: Codable, Sendable, FastJSONDecodable {
        var value: Int
        var via = "codable"

        init(json: JSONView) throws(JSONError) {
            value = try json.object()["value"].int()
            via = "tape"
        }

        private enum CodingKeys: String, CodingKey { case value }
    }

    @Test func jsonSerdeUsesTheTypesOwnReader() throws {
        let serde = JSONSerde<Marked>()
        let bytes = Array(#"{"value":7}"#.utf8)
        let decoded = try bytes.withUnsafeBytes { try serde.deserialize($0) }
        #expect(decoded.value == 7 && decoded.via == "tape")
        #expect(try Self.viaCodable(Marked.self, #"{"value":7}"#).via == "codable")
        #expect(try bytes.withUnsafeBytes { try JSONSerde<Marked>(codableOnly: true).deserialize($0) }.via == "codable")
        #expect(throws: JSONError.self) { try Array(#"{"value":"x"}"#.utf8).withUnsafeBytes { try serde.deserialize($0) } }
    }

    /// A member whose type does not read itself goes through `Codable`, paths included.
    struct Tagged: Codable, Equatable, FastJSONDecodable {
        var id: Int
        var tags: [String: [Int]]
        var lines: [Line]?

        init(json: JSONView) throws(JSONError) {
            let object = try json.object()
            id = try object["id"].int()
            tags = try object["tags"].decode(codable: [String: [Int]].self)
            lines = try object.ifPresent("lines")?.decode(codable: [Line].self)
        }
    }

    @Test func membersCanGoThroughCodable() throws {
        let json = #"{"id":1,"tags":{"a":[1,2],"b":[]},"lines":[{"sku":"s","quantity":1,"price":2.5}]}"#
        let decoder = FastJSONDecoder()
        for _ in 0..<3 {  // the decoder's containers are reused between calls
            let tagged = try decoder.decode(Tagged.self, from: Array(json.utf8))
            #expect(tagged == (try Self.viaCodable(Tagged.self, json)))
            #expect(tagged.tags["a"] == [1, 2] && tagged.lines?.first?.price == 2.5)
        }
        do {
            _ = try decoder.decode(Tagged.self, from: Array(#"{"id":1,"tags":{"a":[1,"x"]}}"#.utf8))
            Issue.record("decoded a string as an Int")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.codingPath == "tags.a[1]")
        }
    }

    @Test func stringBytesAreLentUnescaped() throws {
        struct Text: Codable, FastJSONDecodable {
            var bytes: [UInt8]
            init(json: JSONView) throws(JSONError) { bytes = try json.withUTF8 { Array($0) } }
        }
        #expect(try FastJSONDecoder().decode(Text.self, from: Array(#""a\"\u00e9""#.utf8)).bytes == Array("a\"é".utf8))
        #expect(try FastJSONDecoder().decode(Text.self, from: Array(#""plain""#.utf8)).bytes == Array("plain".utf8))
    }
}

/// Types that write themselves (`FastJSONEncodable`): `Codable`'s bytes, and misuse reported.
@Suite struct FastJSONEncodableTests {
    struct Line: Codable, Equatable, FastJSONEncodable {
        var sku: String
        var quantity: Int
        var price: Double

        func encode(json: inout JSONOutput) throws(JSONError) {
            try json.object { object throws(JSONError) in
                object.field("sku", sku)
                object.field("quantity", quantity)
                try object.field("price", price)
            }
        }
    }

    struct Order: Codable, Equatable, FastJSONEncodable {
        var id: Int64
        var note: String?
        var paid: Bool
        var lines: [Line]
        var parent: Int64?

        func encode(json: inout JSONOutput) throws(JSONError) {
            try json.object { object throws(JSONError) in
                object.field("id", id)
                object.field("note", note)
                object.field("paid", paid)
                try object.field("lines") { json throws(JSONError) in
                    try json.array { array throws(JSONError) in
                        for line in lines { try array.append { json throws(JSONError) in try json.encode(line) } }
                    }
                }
                object.field("parent", parent)
            }
        }
    }

    static func viaCodable<T: Encodable>(_ value: T) throws -> [UInt8] { try FastJSONEncoder().encode(value) }

    @Test(arguments: [
        Order(id: 1, note: nil, paid: true, lines: [], parent: nil),
        Order(id: -9_007_199_254_740_993, note: "a/b \"c\" \u{7}é", paid: false,
              lines: [Line(sku: "x", quantity: 2, price: 19.99), Line(sku: "", quantity: -1, price: 1e21)], parent: 4),
    ])
    func writesWhatCodableWrites(order: Order) throws {
        let fast = try FastJSONEncoder().encode(order)
        #expect(fast == (try Self.viaCodable(order)))
        #expect(try FastJSONDecoder().decode(Order.self, from: fast) == order)
    }

    /// Keys are escaped as Foundation escapes them: a quote, a backslash, a slash, a control byte.
    @Test func oddKeysAreEscapedAsCodableEscapesThem() throws {
        struct Odd: Codable, FastJSONEncodable {
            var a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7
            enum CodingKeys: String, CodingKey {
                case a = "plain_key", b = "a/b", c = "say \"hi\"", d = "back\\slash", e = "tab\tbed"
                case f = "a_key_past_eight/bytes", g = "sixteen_byte_key"  // checked a word at a time
            }
            func encode(json: inout JSONOutput) throws(JSONError) {
                try json.object { object throws(JSONError) in
                    object.field("plain_key", a)
                    object.field("a/b", b)
                    object.field("say \"hi\"", c)
                    object.field("back\\slash", d)
                    object.field("tab\tbed", e)
                    object.field("a_key_past_eight/bytes", f)
                    object.field("sixteen_byte_key", g)
                }
            }
        }
        let fast = try FastJSONEncoder().encode(Odd())
        #expect(fast == (try Self.viaCodable(Odd())))
        #expect(String(decoding: fast, as: UTF8.self) == #"{"plain_key":1,"a\/b":2,"say \"hi\"":3,"back\\slash":4,"tab\tbed":5,"a_key_past_eight\/bytes":6,"sixteen_byte_key":7}"#)
    }

    @Test func membersCanGoThroughCodable() throws {
        struct Tagged: Codable, FastJSONEncodable {
            var id: Int
            var tags: [String: [Int]]
            var lines: [Line]

            func encode(json: inout JSONOutput) throws(JSONError) {
                try json.object { object throws(JSONError) in
                    object.field("id", id)
                    try object.field("tags") { json throws(JSONError) in try json.encode(codable: tags) }
                    try object.field("lines") { json throws(JSONError) in try json.encode(codable: lines) }
                }
            }
        }
        let encoder = FastJSONEncoder()
        for tagged in [Tagged(id: 1, tags: ["a": [1, 2]], lines: [Line(sku: "s/t", quantity: 1, price: 2.5)]), Tagged(id: 2, tags: [:], lines: [])] {
            #expect(try encoder.encode(tagged) == (try Self.viaCodable(tagged)))
        }
        struct Bad: Codable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) { try json.encode(codable: [Double.infinity]) }
        }
        #expect(throws: JSONError.self) { try encoder.encode(Bad()) }
    }

    @Test func misuseIsAnError() throws {
        struct Two: Codable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) {
                json.int(1)
                json.int(2)
            }
        }
        struct None: Codable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) {}
        }
        struct EmptyField: Codable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) {
                try json.object { object throws(JSONError) in try object.field("a") { _ throws(JSONError) in } }
            }
        }
        struct NotANumber: Codable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) { try json.double(.nan) }
        }
        for value in [Two() as any FastJSONEncodable, None(), EmptyField(), NotANumber()] {
            var buffer = Array("kept".utf8)
            do {
                try FastJSONEncoder().encode(value, into: &buffer)
                Issue.record("\(type(of: value)) encoded")
            } catch {
                #expect(error.code == .invalidValue)
            }
            #expect(buffer == Array("kept".utf8))
        }
    }

    @Test func jsonSerdeUsesTheTypesOwnWriter() throws {
        struct Marked: Codable, Sendable, FastJSONEncodable {
            func encode(json: inout JSONOutput) throws(JSONError) { json.string("tape") }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode("codable")
            }
        }
        var buffer: [UInt8] = []
        _ = try JSONSerde<Marked>().serialize(Marked(), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #""tape""#)
        #expect(String(decoding: try Self.viaCodable(Marked()), as: UTF8.self) == #""codable""#)
        buffer = []
        _ = try JSONSerde<Marked>.json(codableOnly: true).serialize(Marked(), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #""codable""#)
    }
}
