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

    /// Long strings after leads of many lengths, with a special character at every position:
    /// `specialCharactersAtEveryOffset` stops at 40 bytes, short of the 64-byte blocks a wider
    /// string scan would read, and of the documents longer than one such block.
    @Test func longStringsAfterLeadsOfManyLengths() throws {
        let decoder = FastJSONDecoder()
        let leads = [0, 1, 2, 31, 59, 60, 61, 62, 63, 64, 65, 127]
        let lengths = [0, 1, 2, 7, 8, 9] + Array(58...70) + Array(122...130)
        for lead in leads {
            let filler = String(repeating: "f", count: lead)
            for length in lengths {
                for special in ["", "\\", "\n", "é", "😀"] {
                    for position in special.isEmpty ? [0] : Array(0...length) {
                        var characters = Array(repeating: "a", count: length)
                        characters.insert(special, at: position)
                        let strings = [filler, characters.joined()]
                        let json = try JSONEncoder().encode(strings)
                        #expect(try decoder.decode([String].self, from: Array(json)) == strings, "lead \(lead), length \(length)")
                    }
                }
            }
        }
    }

    /// A string with no end, or with a raw control character, fails at that byte's offset,
    /// wherever the string starts and however long its plain run is.
    @Test func badStringsFailWhereTheyAre() throws {
        for lead in [0, 1, 62, 63, 64, 65, 127] {
            for length in [0, 1, 7, 8, 60, 61, 62, 63, 64, 65, 66, 130] {
                let open = "[\"" + String(repeating: "f", count: lead) + "\",\"" + String(repeating: "a", count: length)
                let unterminated = try #require(decodingError([String].self, open))
                #expect(unterminated.offset == open.utf8.count && unterminated.reason == "unterminated string", "\(lead), \(length)")
                let control = try #require(decodingError([String].self, open + "\u{1}a\"]"))
                #expect(control.offset == open.utf8.count && control.reason == "unescaped control character in string")
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
