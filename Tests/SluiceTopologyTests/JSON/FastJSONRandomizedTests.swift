import Foundation
import SluiceTopology
import Testing

/// Generated records (fixed seed) through a hand-written reader and writer and through `Codable`:
/// the same values, the same bytes, and, for mutated input, the same verdict.
@Suite struct FastJSONRandomizedTests {
    struct Child: Codable, Equatable, FastJSONDecodable, FastJSONEncodable {
        var label: String
        var weight: Int

        init(label: String, weight: Int) {
            self.label = label
            self.weight = weight
        }

        init(json: JSONView) throws(JSONError) {
            let object = try json.object()
            self.init(label: try object["label"].string(), weight: try object["weight"].int())
        }

        func encode(json: inout JSONOutput) throws(JSONError) {
            try json.object { object throws(JSONError) in
                object.field("label", label)
                object.field("weight", weight)
            }
        }
    }

    struct Record: Codable, Equatable, FastJSONDecodable, FastJSONEncodable {
        var id: Int64
        var name: String
        var score: Double
        var flag: Bool
        var note: String?
        var tags: [String]
        var child: Child?

        init(id: Int64, name: String, score: Double, flag: Bool, note: String?, tags: [String], child: Child?) {
            self.id = id
            self.name = name
            self.score = score
            self.flag = flag
            self.note = note
            self.tags = tags
            self.child = child
        }

        init(json: JSONView) throws(JSONError) {
            let object = try json.object()
            id = try object["id"].int64()
            name = try object["name"].string()
            score = try object["score"].double()
            flag = try object["flag"].bool()
            note = try object.ifPresent("note")?.string()
            var tags: [String] = []
            try object["tags"].forEachElement { tag throws(JSONError) in tags.append(try tag.string()) }
            self.tags = tags
            child = try object.ifPresent("child")?.decode()
        }

        func encode(json: inout JSONOutput) throws(JSONError) {
            try json.object { object throws(JSONError) in
                object.field("id", id)
                object.field("name", name)
                try object.field("score", score)
                object.field("flag", flag)
                object.field("note", note)
                try object.field("tags") { json throws(JSONError) in
                    try json.array { array throws(JSONError) in
                        for tag in tags { try array.append { json throws(JSONError) in json.string(tag) } }
                    }
                }
                try object.field("child", child)
            }
        }
    }

    static func record(_ g: inout SplitMix64) -> Record {
        let string = { (g: inout SplitMix64) in JSONRandomizedTests.randomString(&g) }
        let score = Double(sign: Bool.random(using: &g) ? .minus : .plus, exponent: Int.random(in: -60...60, using: &g),
                           significand: Double.random(in: 1..<2, using: &g))
        return Record(
            id: Int64.random(in: Int64.min...Int64.max, using: &g) >> UInt64.random(in: 0...63, using: &g), name: string(&g),
            score: score, flag: Bool.random(using: &g), note: Bool.random(using: &g) ? string(&g) : nil,
            tags: (0..<Int.random(in: 0...4, using: &g)).map { _ in string(&g) },
            child: Bool.random(using: &g) ? Child(label: string(&g), weight: Int.random(in: -1000...1000, using: &g)) : nil)
    }

    /// Calls the `Decodable`/`Encodable` overloads: `Codable` on the same codec.
    static func viaCodable<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ decoder: FastJSONDecoder) throws -> T {
        try decoder.decode(type, from: bytes)
    }
    static func viaCodable<T: Encodable>(_ value: T, _ encoder: FastJSONEncoder) throws -> [UInt8] { try encoder.encode(value) }

    @Test func generatedRecordsAgreeWithCodable() throws {
        var g = SplitMix64(seed: 0xFA57)
        let decoder = FastJSONDecoder()
        let encoder = FastJSONEncoder()
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        for i in 0..<500 {
            let record = Self.record(&g)
            // Foundation's member order (sorted and pretty every other time), and members Codable
            // skips or reads as absent: an explicit null note, an unknown member.
            var text = Array(try (i.isMultiple(of: 2) ? pretty : JSONEncoder()).encode(record))
            if record.note == nil && Bool.random(using: &g) { text.insert(contentsOf: Array(#""note":null,"#.utf8), at: 1) }
            if Bool.random(using: &g) { text.insert(contentsOf: Array(#""extra":{"x":[1,"two",null]},"#.utf8), at: 1) }
            let fast = try decoder.decode(Record.self, from: text)
            #expect(fast == record)
            #expect(fast == (try Self.viaCodable(Record.self, text, decoder)))
            #expect(try encoder.encode(record) == (try Self.viaCodable(record, encoder)))
        }
    }

    @Test func mutatedRecordsGetTheSameVerdict() throws {
        var g = SplitMix64(seed: 0xBAD5)
        let decoder = FastJSONDecoder()
        let interesting: [UInt8] = Array("{}[],:\"\\/-+.0123456789eEtrufalsn ".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        var rejected = 0
        for _ in 0..<2_000 {
            var bytes = try FastJSONEncoder().encode(Self.record(&g))
            for _ in 0..<Int.random(in: 1...2, using: &g) {
                let position = Int.random(in: 0..<bytes.count, using: &g)
                switch Int.random(in: 0..<3, using: &g) {
                case 0: bytes[position] = interesting.randomElement(using: &g)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting.randomElement(using: &g)!, at: position)
                }
            }
            let fast = try? decoder.decode(Record.self, from: bytes)
            let codable = try? Self.viaCodable(Record.self, bytes, decoder)
            #expect(fast == codable, "\(String(decoding: bytes, as: UTF8.self))")
            if fast == nil { rejected += 1 }
        }
        // The mutations must have hit something: most of them break the record.
        #expect(rejected > 1_000)
    }
}
