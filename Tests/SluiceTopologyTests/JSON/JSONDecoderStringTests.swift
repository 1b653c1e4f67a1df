import Foundation
import SluiceTopology
import Testing

/// Strings: escapes, surrogates, UTF-8 validation, and lengths around the 8-byte scan stride.
@Suite struct JSONDecoderStringTests {
    @Test(arguments: [
        #""""#, #""a""#, #""\"\\\/\b\f\n\r\t""#, #""\u0000""#, #""a\u0000b""#, #""\u00e9\u00E9""#, #""\u20AC""#,
        #""\uD83D\uDE00""#, #""\ud83d\ude00x""#, #""\uD83D""#, #""\uDE00""#, #""\uD83Dx""#, #""\uD83D\u0041""#,
        #""\uDE00\uD83D""#, #""\u12""#, #""\u12G4""#, #""\x""#, #""\'""#, #""é""#, #""😀""#, "\"\u{7F}\"", "\"\u{FFFF}\"",
        "\"a\tb\"", "\"a\nb\"", "\"\u{1F}\"", #""unterminated"#, #""\"#, #""\u"#, #""abc\""#, "\"\u{2028}\"",
        #""/products/shoes/42""#, #""0123456789abcdef0123456789""#,
    ])
    func stringsMatchFoundation(json: String) {
        expectSameDecoding(String.self, json)
        expectSameDecoding([String].self, "[\(json)]")
        expectSameDecoding([String: String].self, "{\"k\":\(json)}")
    }

    /// Every special character at every position of strings up to 40 bytes long, so the
    /// word-at-a-time scan meets them at each offset within a word.
    @Test func specialCharactersAtEveryOffset() throws {
        let specials = ["\"", "\\", "/", "\n", "\u{1}", "é", "€", "😀", "\u{7F}"]
        let decoder = FastJSONDecoder()
        for length in 0..<40 {
            for special in specials {
                for position in 0...length {
                    var characters = Array(repeating: "a", count: length)
                    characters.insert(special, at: position)
                    let string = characters.joined()
                    let json = try JSONEncoder().encode(string)
                    #expect(try decoder.decode(String.self, from: Array(json)) == string)
                }
            }
        }
    }

    /// Two escapes at every pair of offsets, so that plain runs of every length lie before,
    /// between and after them (the unescaper copies runs a word at a time).
    @Test func twoEscapesAtEveryPairOfOffsets() throws {
        let decoder = FastJSONDecoder()
        for length in 0..<26 {
            for first in 0...length {
                for second in first...length {
                    var characters = (0..<length).map { String(UnicodeScalar(UInt8(97 + $0 % 26))) }
                    characters.insert("\\", at: second)
                    characters.insert("\n", at: first)
                    let string = characters.joined()
                    let json = try JSONEncoder().encode(string)
                    #expect(try decoder.decode(String.self, from: Array(json)) == string)
                }
            }
        }
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22],
        [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xF0, 0x9F, 0x98, 0x22],
        [0x22, 0x80, 0x22], [0x22, 0xC3, 0xA9, 0x22], [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0x22, 0xEF, 0xBB, 0xBF, 0x22],
        [0xEF, 0xBB, 0xBF, 0x31], [0xEF, 0xBB, 0x31],
    ] as [[UInt8]])
    func utf8IsValidatedLikeFoundation(bytes: [UInt8]) {
        let foundation = try? JSONDecoder().decode(AnyJSON.self, from: Data(bytes))
        let fast = try? FastJSONDecoder().decode(AnyJSON.self, from: bytes)
        #expect(fast == foundation, "\(bytes)")
    }
}
