import Foundation
import SluiceTopology
import Testing

/// Generated documents (fixed seed) through both decoders and both encoders, plus mutated
/// documents that must never crash and never be accepted when Foundation rejects them.
@Suite struct JSONRandomizedTests {
    static func randomString(_ g: inout SplitMix64) -> String {
        let alphabet: [String] = ["a", "b", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "€", "😀", "\u{7F}", "key"]
        return (0..<Int.random(in: 0...12, using: &g)).map { _ in alphabet.randomElement(using: &g)! }.joined()
    }

    static func randomValue(_ g: inout SplitMix64, depth: Int) -> AnyJSON {
        switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &g) >> UInt64.random(in: 0...63, using: &g))
        case 3:
            let value = Double(sign: Bool.random(using: &g) ? .minus : .plus, exponent: Int.random(in: -1000...1000, using: &g),
                               significand: Double.random(in: 1..<2, using: &g))
            return .double(value.isFinite ? value : 0.5)
        case 4: return .string(randomString(&g))
        case 5: return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            var members: [String: AnyJSON] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &g) { members[randomString(&g)] = randomValue(&g, depth: depth + 1) }
            return .object(members)
        }
    }

    /// One to three random bytes of JSON's alphabet (and invalid UTF-8) replaced, removed or inserted.
    static func mutate(_ bytes: inout [UInt8], _ g: inout SplitMix64) {
        let interesting: [UInt8] = Array("{}[],:\"\\/-+.0123456789eEtrufalsn \u{7f}".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            let position = Int.random(in: 0...bytes.count, using: &g)
            let byte = interesting.randomElement(using: &g)!
            switch Int.random(in: 0..<3, using: &g) {
            case 0 where position < bytes.count: bytes[position] = byte
            case 1 where position < bytes.count: bytes.remove(at: position)
            default: bytes.insert(byte, at: position)
            }
        }
    }

    @Test func generatedDocumentsAgreeWithFoundation() throws {
        var g = SplitMix64(seed: 0x5EED)
        let fastDecoder = FastJSONDecoder()
        let fastEncoder = FastJSONEncoder()
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        for i in 0..<400 {
            let value = Self.randomValue(&g, depth: 0)
            let text = try (i.isMultiple(of: 2) ? JSONEncoder() : pretty).encode(value)
            let foundation = try JSONDecoder().decode(AnyJSON.self, from: text)
            #expect(try fastDecoder.decode(AnyJSON.self, from: Array(text)) == foundation)
            let ours = try fastEncoder.encode(value)
            #expect(try JSONDecoder().decode(AnyJSON.self, from: Data(ours)) == foundation)
            #expect(try fastDecoder.decode(AnyJSON.self, from: ours) == foundation)
        }
    }

    @Test func mutatedDocumentsNeverCrashOrOverAccept() throws {
        var g = SplitMix64(seed: 0xF022)
        let decoder = FastJSONDecoder()
        for _ in 0..<1_500 {
            var bytes = Array(try JSONEncoder().encode(Self.randomValue(&g, depth: 2)))
            Self.mutate(&bytes, &g)
            let ours: AnyJSON?
            do {
                ours = try decoder.decode(AnyJSON.self, from: bytes)
            } catch {
                ours = nil
            }
            if let ours {
                #expect((try? JSONDecoder().decode(AnyJSON.self, from: Data(bytes))) == ours, "\(bytes)")
            }
        }
    }
}
