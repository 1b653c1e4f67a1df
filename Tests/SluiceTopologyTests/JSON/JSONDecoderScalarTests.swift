import Foundation
import SluiceTopology
import Testing

/// Scalars at the top level, compared with Foundation's JSONDecoder for every numeric width.
@Suite struct JSONDecoderScalarTests {
    static let numbers = [
        "0", "-0", "1", "-1", "127", "128", "-128", "-129", "255", "256", "32767", "32768", "65535", "65536",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
        "1.0", "1.5", "-1.5", "1e2", "1E2", "1e+2", "1e-2", "-1e2", "4.5e1", "1e19", "1.0e0", "-0.0", "255.0", "-128e0",
        "9223372036854775807.0", "9.223372036854775807e18", "1e18", "0.1", "19.99", "0.30000000000000004",
        "1e400", "-1e400", "1e-400", "2.5e-324", "2e-324", "4.9e-324", "5e-324", "0e-400", "0.000e5000",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "9007199254740993", "1e23", "8.41e21", "1e22", "1e-22",
        "3.4028235e38", "3.4028236e38", "1e-45", "1e-46", "1.00000001", "16777217", "0.000001", "123.456e-7",
        "7", " 7 ", "\t\n\r 7\n", "1000000000000000000000000000000e-30", "0.0000000000000000000000000000001e31",
        // Not numbers:
        "01", "-01", "00", "-", "1.", ".5", "+1", "1e", "1e+", "1e-", "--1", "1.5.5", "0x10", "NaN", "Infinity", "-Infinity",
        "\"1\"", "true", "null", "[1]", "{}", "", " ",
    ]

    @Test(arguments: numbers)
    func integersMatchFoundation(json: String) {
        expectSameDecoding(Int.self, json)
        expectSameDecoding(Int8.self, json)
        expectSameDecoding(Int16.self, json)
        expectSameDecoding(Int32.self, json)
        expectSameDecoding(Int64.self, json)
        expectSameDecoding(UInt.self, json)
        expectSameDecoding(UInt8.self, json)
        expectSameDecoding(UInt16.self, json)
        expectSameDecoding(UInt32.self, json)
        expectSameDecoding(UInt64.self, json)
    }

    @Test(arguments: numbers + [
        "170141183460469231731687303715884105727", "170141183460469231731687303715884105728",
        "-170141183460469231731687303715884105728", "-170141183460469231731687303715884105729",
        "340282366920938463463374607431768211455", "340282366920938463463374607431768211456",
    ])
    func wideIntegersMatchFoundation(json: String) {
        expectSameDecoding(Int128.self, json)
        expectSameDecoding(UInt128.self, json)
        expectSameDecoding([String: Int128].self, "{\"k\":\(json)}")
    }

    /// Integers of every digit count up to 20, so that the eight-digits-at-a-time parse meets
    /// every split into eight-digit groups and a remainder, with each digit at each position.
    @Test func integersOfEveryDigitCount() {
        var g = SplitMix64(seed: 0xD161)
        for count in 1...20 {
            var patterns = [String(repeating: "9", count: count), "1" + String(repeating: "0", count: count - 1)]
            patterns.append(String((0..<count).map { Character(String(($0 + 1) % 10)) }))  // 1234567890123…
            for _ in 0..<20 {
                patterns.append(String((0..<count).map { i in Character(String(Int.random(in: i == 0 ? 1...9 : 0...9, using: &g))) }))
            }
            for digits in patterns {
                for json in [digits, "-" + digits] {
                    expectSameDecoding(Int64.self, json)
                    expectSameDecoding(UInt64.self, json)
                    expectSameDecoding(Int32.self, json)
                }
            }
        }
    }

    @Test func wideIntegersDecode() throws {
        let max = Array("170141183460469231731687303715884105727".utf8)
        #expect(try FastJSONDecoder().decode(Int128.self, from: max) == .max)
        #expect(try JSONDecoder().decode(Int128.self, from: Data(max)) == .max)
    }

    @Test(arguments: numbers)
    func floatingPointMatchesFoundation(json: String) {
        expectSameDecoding(Double.self, json)
        expectSameDecoding(Float.self, json)
        expectSameDecoding(Decimal.self, json)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(try FastJSONDecoder().decode(Double.self, from: Array("-0".utf8)).sign == .minus)
        #expect(try FastJSONDecoder().decode(Float.self, from: Array("-0.0".utf8)).sign == .minus)
    }

    /// The fast path must round exactly like the slow path for simple decimals.
    @Test func decimalsRoundCorrectly() throws {
        var generator = SplitMix64(seed: 42)
        let decoder = FastJSONDecoder()
        for _ in 0..<2_000 {
            let digits = String(UInt64.random(in: 0...999_999_999_999, using: &generator))
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            text = text.replacingOccurrences(of: #"^0+(?=\d)"#, with: "", options: .regularExpression)
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            let bytes = Array(text.utf8)
            #expect(try decoder.decode(Double.self, from: bytes) == Double(text), "\(text)")
            // Foundation (and we) reject literals that overflow Float or underflow to zero.
            let float = Float(text).flatMap { $0.isFinite && $0 != 0 ? $0 : nil }
            #expect((try? decoder.decode(Float.self, from: bytes)) == float, "\(text)")
        }
    }

    /// Integer and fraction parts of every length up to 21 digits, and fractions with up to 21
    /// leading zeros after "0.": the fast path takes at most 19 significant digits, so its count
    /// of them must meet both sides of that limit wherever the point is. (With the fraction's
    /// digits left out of the count, every other test here still passed.)
    @Test func decimalsOfEveryDigitCount() throws {
        var g = SplitMix64(seed: 0xDEC1)
        let decoder = FastJSONDecoder()
        func digits(_ count: Int, leading: ClosedRange<Int>) -> String {
            String((0..<count).map { i in Character(String(Int.random(in: i == 0 ? leading : 0...9, using: &g))) })
        }
        var texts: [String] = []
        for integer in 0...21 {
            for fraction in 0...21 where integer + fraction > 0 {
                for _ in 0..<3 {
                    let whole = integer == 0 ? "0" : digits(integer, leading: 1...9)
                    texts.append(fraction == 0 ? whole : whole + "." + digits(fraction, leading: 0...9))
                }
            }
        }
        for zeros in 0...21 {
            for significant in 1...21 {
                texts.append("0." + String(repeating: "0", count: zeros) + digits(significant, leading: 1...9))
            }
        }
        // 2^64 + 1 in 20 digits: a count of significant digits that missed some would let the
        // significand wrap to 1 and take the fast path with it.
        let wraps = "18446744073709551617"
        for split in 1..<wraps.count {
            texts.append(String(wraps.prefix(split)) + "." + String(wraps.dropFirst(split)))
        }
        for zeros in 0...3 { texts.append("0." + String(repeating: "0", count: zeros) + wraps) }
        for text in texts {
            for json in [text, "-" + text, text + "e3", text + "e-5"] {
                let bytes = Array(json.utf8)
                #expect(try decoder.decode(Double.self, from: bytes) == Double(json), "\(json)")
                let float = Float(json).flatMap { $0.isFinite && $0 != 0 ? $0 : nil }
                #expect((try? decoder.decode(Float.self, from: bytes)) == float, "\(json)")
            }
        }
    }

    @Test(arguments: [
        "true", "false", "null", "\"true\"", "1", "0", "tru", "truex", "nul", "nulll", "fals", "True", " false ",
    ])
    func literalsMatchFoundation(json: String) {
        expectSameDecoding(Bool.self, json)
        expectSameDecoding(Bool?.self, json)
        expectSameDecoding(Int?.self, json)
    }
}
