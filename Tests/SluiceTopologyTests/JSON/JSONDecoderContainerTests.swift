import Foundation
import SluiceTopology
import Testing

/// Keyed, unkeyed and single-value containers, compared with Foundation.
@Suite struct JSONDecoderContainerTests {
    @Test func allScalarTypesInAnObject() throws {
        let json = try JSONEncoder().encode(AllScalars.sample)
        expectSameDecoding(AllScalars.self, String(decoding: json, as: UTF8.self))
        #expect(try FastJSONDecoder().decode(AllScalars.self, from: Array(json)) == AllScalars.sample)
    }

    @Test(arguments: [
        #"{}"#, #"{"a":null,"b":null,"c":null,"d":null,"e":null}"#, #"{"a":1,"b":"x","c":[1,null,3],"e":2.5}"#,
        #"{"c":[]}"#, #"{"a":"1"}"#, #"{"b":1}"#, #"{"c":{}}"#, #"{"d":{}}"#, #"{"d":null,"unknown":{"deep":[1,2,{"x":[]}]}}"#,
        #"{"a":1,"a":2}"#, #"{"a":1,"a":null}"#, #"{"a":null,"a":3}"#, #"{"\u0061":5}"#, #"{"a":1,"\u0061":2}"#, #"{"\u0061":1,"a":2}"#,
        #"{"e":1e400}"#, #"[]"#, #"null"#,
    ])
    func optionalsAndMissingKeys(json: String) {
        expectSameDecoding(Optionals.self, json)
    }

    @Test func collectionsEnumsAndNestedContainers() throws {
        let value = Collections(
            ints: [1, -2, 3], nested: [[], ["a", "b"]], dict: ["x": 1, "y": 2], intKeyed: [1: "one", -5: "minus five"],
            colors: [.red, .green], levels: ["l": .low, "h": .high],
            shapes: [.circle(radius: 1.5), .rect(width: 2, height: 3), .point, .labelled("z", .point), .labelled("n", nil)],
            empty: [])
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        expectSameDecoding(Collections.self, json)
        #expect(try FastJSONDecoder().decode(Collections.self, from: Array(json.utf8)) == value)
    }

    @Test(arguments: [
        #""red""#, #""blue""#, #"1"#, #"[]"#,
    ])
    func rawValueEnums(json: String) {
        expectSameDecoding(Color.self, json)
        expectSameDecoding(Level.self, json)
    }

    @Test func foundationSpecialTypes() throws {
        let value = FoundationValues(
            date: Date(timeIntervalSinceReferenceDate: 12.5), data: Data([0, 1, 2, 254, 255]),
            url: URL(string: "https://example.com/a/b?q=1#f")!, uuid: UUID(uuidString: "3F1C9A2E-8B7D-4C61-9E2F-5A4B3C2D1E0F")!,
            decimal: Decimal(string: "12.345678901234567890123")!, optionalData: nil, urls: [URL(string: "file:///tmp/x")!])
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        expectSameDecoding(FoundationValues.self, json)
        #expect(try FastJSONDecoder().decode(FoundationValues.self, from: Array(json.utf8)) == value)
        for bad in [#""AAE""#, #"1"#, #""""#, #"null"#] {
            expectSameDecoding(Data.self, bad)
            expectSameDecoding(URL.self, bad)
            expectSameDecoding(UUID.self, bad)
            expectSameDecoding(Decimal.self, bad)
        }
    }

    @Test func superDecoderAndNestedContainers() throws {
        expectSameDecoding(Dog.self, #"{"breed":"pug","base":{"name":"Rex"}}"#)
        expectSameDecoding(Dog.self, #"{"breed":"pug"}"#)
        expectSameDecoding(SuperUser.self, #"{"extra":1,"super":[1,2,3]}"#)
        expectSameDecoding(SuperUser.self, #"{"extra":1}"#)
        expectSameDecoding(Flattened.self, #"{"info":{"a":1,"list":[1,2]},"pairs":[[1,"x"],[2,"y"]]}"#)
        expectSameDecoding(Flattened.self, #"{"info":{"a":1,"list":[1,2]},"pairs":[[1]]}"#)
        let dog = try FastJSONDecoder().decode(Dog.self, from: Array(#"{"breed":"pug","base":{"name":"Rex"}}"#.utf8))
        #expect(dog.name == "Rex")
    }

    @Test func codingPathsMatchFoundation() throws {
        let json = #"{"a":[{"b":1},[2,{"c":null}]],"d":{"e":{"f":[]}}}"#
        let fast = try FastJSONDecoder().decode(PathRecorder.self, from: Array(json.utf8))
        #expect(fast == (try JSONDecoder().decode(PathRecorder.self, from: Data(json.utf8))))
        #expect(fast.paths.contains("a/Index 1/Index 1/c"))
    }

    /// Dictionaries large enough that the scanner's Bloom filter saturates.
    @Test func largeObjectsWithAndWithoutDuplicateKeys() {
        let members = (0..<2_000).map { "\"key\($0)\":\($0)" }
        expectSameDecoding([String: Int].self, "{" + members.joined(separator: ",") + "}")
        expectSameDecoding([String: Int].self, "{" + (members + ["\"key7\":-1"]).joined(separator: ",") + "}")
        expectSameDecoding([String: Int].self, "{" + (members + [#""key\u0037":-2"#]).joined(separator: ",") + "}")
    }

    @Test func nestingDepthLimit() {
        expectSameDecoding(AnyJSON.self, String(repeating: "[", count: 512) + String(repeating: "]", count: 512))
        expectSameDecoding(AnyJSON.self, String(repeating: "[", count: 513) + String(repeating: "]", count: 513))
        let error = decodingError(AnyJSON.self, String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600))
        #expect(error?.code == .nestingTooDeep)
    }

    @Test func containsDecodeNilAndAllKeys() throws {
        struct Probe: Decodable, Equatable {
            var contains: [Bool]
            var nils: [Bool?]
            var keys: [String]
            enum K: String, CodingKey { case a, b, missing }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: K.self)
                contains = [c.contains(.a), c.contains(.b), c.contains(.missing)]
                nils = [try c.decodeNil(forKey: .a), try c.decodeNil(forKey: .b), try? c.decodeNil(forKey: .missing)]
                keys = c.allKeys.map(\.stringValue).sorted()
            }
        }
        expectSameDecoding(Probe.self, #"{"a":null,"b":0,"zzz":1}"#)
        expectSameDecoding(Probe.self, #"{"a":1,"a":null,"b":[]}"#)
    }

    @Test func unkeyedContainerBehaviour() {
        expectSameDecoding([Int?].self, "[1,null,3]")
        expectSameDecoding([Int].self, "[1,null,3]")
        expectSameDecoding([[Int]].self, "[[1],[2,3],[]]")
        expectSameDecoding(Set<Int>.self, "[3,1,2]")
        expectSameDecoding([String: [Int]].self, #"{"a":[1],"b":[]}"#)
        expectSameDecoding([Double].self, " [ 1 , 2.5 ,\n3e1 ] ")
        expectSameDecoding(Flattened.self, #"{"info":{"a":1,"list":[1,"x"]},"pairs":[]}"#)
    }
}
