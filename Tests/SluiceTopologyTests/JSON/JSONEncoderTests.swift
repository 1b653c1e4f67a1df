import Foundation
import SluiceTopology
import Testing

/// FastJSONEncoder against Foundation's JSONEncoder: identical bytes where Foundation's output
/// order is fixed (scalars, arrays, single-member objects), equal values otherwise.
@Suite struct JSONEncoderTests {
    @Test func scalarsAndArraysMatchByteForByte() throws {
        try expectSameEncoding(0)
        try expectSameEncoding(Int64.min)
        try expectSameEncoding(UInt64.max)
        try expectSameEncoding([Int8.min, Int8.max])
        try expectSameEncoding([Int128.min, 0, Int128.max])
        try expectSameEncoding(["u": UInt128.max])
        try expectSameEncoding([true, false])
        try expectSameEncoding("plain")
        try expectSameEncoding("esc \" \\ / \u{8} \u{C} \n \r \t \u{1} \u{1F} \u{7F} é € 😀 \u{2028}")
        try expectSameEncoding([String?.none, "x"])
        try expectSameEncoding([[1, 2], [], [3]])
        try expectSameEncoding(["only": [1.5]])
        try expectSameEncoding([Color.red, .green])
        try expectSameEncoding([Level.high])
    }

    /// Every escaped character at every offset of strings up to 40 bytes, so the
    /// word-at-a-time scan for escapes meets them at each position within a word.
    @Test func escapesAtEveryOffsetMatchByteForByte() throws {
        let encoder = FastJSONEncoder()
        for length in 0..<40 {
            for special in ["\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "é", "😀", "\u{7F}", " "] {
                for position in 0...length {
                    var characters = Array(repeating: "a", count: length)
                    characters.insert(special, at: position)
                    let string = characters.joined()
                    #expect(try encoder.encode([string]) == Array(try JSONEncoder().encode([string])))
                }
            }
        }
    }

    @Test(arguments: [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 19.99, 100.0, 1e15, 1e16, 1e20, 1e21, 1e22, 1e-5, 1e-7, 123456789.0, 1.5e300,
        .leastNonzeroMagnitude, 2.2250738585072014e-308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 9007199254740992.0,
        9007199254740994.0, 4503599627370496.5, 0.30000000000000004, 1700000000123.0, Double(Int64.max), -1e-300,
    ])
    func doublesMatchByteForByte(value: Double) throws {
        try expectSameEncoding(value)
        try expectSameEncoding(Float(value).isFinite ? Float(value) : 1)
    }

    /// Values with one to four decimals take a path of their own (`appendShortDecimal`); its
    /// edges: the magnitude bounds, every decimal count, negative values, fractions with leading
    /// zeros, and values just past what it takes (five decimals, below 10^-4, 10^9 and above).
    @Test func shortDecimalsMatchByteForByte() throws {
        var values: [Double] = [
            0.0001, 0.0009, 0.00015, 0.00009, 999_999_999.9999, 999_999_999.99999, 1e9 + 0.5, 0.05, 0.005, 1.0001, 10.01, 19.99,
            123.4567, 0.12345, 5854.784, 0.908 * 6448, 1.1, 2.25, 1e-4 * 3, 123_456_789_012.25, 2.5e11 + 0.0001,
        ]
        var g = SystemRandomNumberGenerator()
        for decimals in 1...5 {
            let scale = (0..<decimals).reduce(1.0) { r, _ in r * 10 }
            for _ in 0..<2_000 {
                let units = Double(UInt64.random(in: 0..<1_000_000_000_000, using: &g) % UInt64(1e9 * scale))
                values.append(units / scale)
                values.append(-Double(UInt64.random(in: 0..<100_000, using: &g)) / scale)
            }
        }
        // Nexmark q1's prices in euros: three decimals, or a product that needs seventeen digits.
        for _ in 0..<2_000 { values.append(0.908 * Double(UInt64.random(in: 1..<100_000_000, using: &g))) }
        let encoder = FastJSONEncoder()
        for value in values {
            #expect(try encoder.encode([value]) == Array(try JSONEncoder().encode([value])), "\(value)")
        }
    }

    /// Integers are written two digits at a time into a length counted first: every digit count,
    /// each side of every power of ten, and both signs.
    @Test func integersAtEveryDigitCountMatchByteForByte() throws {
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, Int64.min, Int64.max, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
        }
        let encoder = FastJSONEncoder()
        for value in values {
            #expect(try encoder.encode([value]) == Array(try JSONEncoder().encode([value])), "\(value)")
        }
        #expect(try encoder.encode([UInt64.max, 10_000_000_000_000_000_000]) == Array(try JSONEncoder().encode([UInt64.max, 10_000_000_000_000_000_000])))
    }

    @Test func foundationSpecialTypesMatchByteForByte() throws {
        try expectSameEncoding([Date(timeIntervalSinceReferenceDate: 12.5), Date(timeIntervalSinceReferenceDate: -1e9)])
        try expectSameEncoding([Data(), Data([0, 1, 2, 254, 255])])
        try expectSameEncoding([URL(string: "https://example.com/a/b?q=1#f")!])
        try expectSameEncoding([UUID(uuidString: "3F1C9A2E-8B7D-4C61-9E2F-5A4B3C2D1E0F")!])
        try expectSameEncoding([Decimal(string: "12.3400")!, Decimal(string: "-0.000001")!, Decimal(string: "12345678901234567890123")!])
        try expectSameEncoding(["d": Decimal(1)])
    }

    @Test func objectsRoundTripThroughFoundation() throws {
        try expectSameEncoding(AllScalars.sample, sameBytes: false)
        try expectSameEncoding(Optionals(a: 1, b: nil, c: [1, nil], d: .sample, e: nil), sameBytes: false)
        try expectSameEncoding(
            Collections(
                ints: [1], nested: [["a"]], dict: ["x": 1, "y": 2], intKeyed: [3: "c"], colors: [.green], levels: ["h": .high],
                shapes: [.rect(width: 1, height: 2), .labelled("l", .circle(radius: 0.5)), .point], empty: []),
            sameBytes: false)
        try expectSameEncoding(
            FoundationValues(
                date: Date(timeIntervalSinceReferenceDate: 1), data: Data([9]), url: URL(string: "a:b")!, uuid: UUID(),
                decimal: 5, optionalData: Data(), urls: []),
            sameBytes: false)
    }

    @Test func superEncoderAndOutOfOrderNestedContainers() throws {
        try expectSameEncoding(Dog(name: "Rex", breed: "pug"), sameBytes: false)
        try expectSameEncoding(SuperUser(base: [1, 2], extra: 3), sameBytes: false)
        let flattened = Flattened(a: 1, list: [4, 5], pairs: [.init(number: 1, label: "x"), .init(number: 2, label: "y")])
        try expectSameEncoding(flattened, sameBytes: false)
        #expect(
            String(decoding: try FastJSONEncoder().encode(flattened), as: UTF8.self)
                == #"{"info":{"list":[4,5],"a":1},"pairs":[[1,"x"],[2,"y"]]}"#)
    }

    @Test func repeatedKeysInLargeObjects() throws {
        struct Many: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: AnyJSON.Key.self)
                for round in 0..<2 {
                    for i in 0..<300 { try c.encode(i * 10 + round, forKey: AnyJSON.Key(stringValue: "k\(i)")) }
                }
            }
        }
        let decoded = try FastJSONDecoder().decode([String: Int].self, from: try FastJSONEncoder().encode(Many()))
        #expect(decoded == Dictionary(uniqueKeysWithValues: (0..<300).map { ("k\($0)", $0 * 10 + 1) }))
        #expect(decoded == (try JSONDecoder().decode([String: Int].self, from: JSONEncoder().encode(Many()))))
    }

    @Test func valuesThatEncodeNothingBecomeEmptyObjects() throws {
        struct Empty: Codable, Equatable {
            init() {}
            init(from decoder: any Decoder) throws {}
            func encode(to encoder: any Encoder) throws {}
        }
        try expectSameEncoding([Empty()])
        try expectSameEncoding(["k": Empty()])
    }

    @Test func repeatedKeysKeepTheLastValue() throws {
        struct Twice: Encodable {
            enum K: CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode(1, forKey: .b)
                try c.encode(2, forKey: .a)
                try c.encode(3, forKey: .b)
                var again = encoder.container(keyedBy: K.self)
                try again.encode(4, forKey: .a)
            }
        }
        let bytes = try FastJSONEncoder().encode(Twice())
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"b":3,"a":4}"#)
        #expect(try JSONDecoder().decode([String: Int].self, from: Data(try JSONEncoder().encode(Twice()))) == ["a": 4, "b": 3])
        #expect(try FastJSONDecoder().decode([String: Int].self, from: bytes) == ["a": 4, "b": 3])
    }
}
