import Foundation
@testable import SluiceTopology
import Testing

/// A document scanned against the shape of another (`JSONShape`) against the byte scan: either
/// the same tape, or a miss. A shape must never accept what the byte scan rejects, and documents
/// that differ only in their values must match it.
@Suite struct JSONShapeTests {
    /// The byte scan's tape of `bytes`, or `nil` if it rejects them.
    static func byteScan(_ bytes: [UInt8]) -> [JSONToken]? {
        let depth = FastJSONDecoder.maximumDepth
        let capacity = JSONScanner.tokenBound(forByteCount: bytes.count, maximumDepth: depth)
        let tape = UnsafeMutablePointer<JSONToken>.allocate(capacity: capacity)
        let stack = UnsafeMutablePointer<(index: Int, keys: UInt64)>.allocate(capacity: depth)
        defer {
            tape.deallocate()
            stack.deallocate()
        }
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { input.deallocate() }
        input.initialize(from: bytes, count: bytes.count)
        var scanner = JSONScanner(bytes: input, count: bytes.count, tape: tape, capacity: capacity - 1, stack: stack, maximumDepth: depth)
        guard (try? scanner.scan()) != nil else { return nil }
        return Array(UnsafeBufferPointer(start: tape, count: scanner.count))
    }

    static func shape(of bytes: [UInt8]) -> JSONShape? {
        guard let tape = byteScan(bytes) else { return nil }
        return bytes.withUnsafeBufferPointer { input in
            tape.withUnsafeBufferPointer { JSONShape(bytes: input.baseAddress!, count: input.count, tape: $0.baseAddress!, tokenCount: $0.count) }
        }
    }

    /// `bytes` scanned against `shape`: its tape, or `nil` for a miss. The input sits in memory
    /// of its own, so that a read past it shows up under the address sanitizer.
    static func shapeScan(_ shape: JSONShape, _ bytes: [UInt8]) -> [JSONToken]? {
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { input.deallocate() }
        input.initialize(from: bytes, count: bytes.count)
        let tape = UnsafeMutablePointer<JSONToken>.allocate(capacity: shape.tokenCount)
        defer { tape.deallocate() }
        guard shape.scan(input, bytes.count, into: tape) else { return nil }
        return Array(UnsafeBufferPointer(start: tape, count: shape.tokenCount))
    }

    /// Scans `document` against the shape of `model`: a match must give the byte scan's tape.
    /// Returns whether it matched.
    @discardableResult
    static func expectAgreement(model: [UInt8], document: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let shape = shape(of: model) else { return false }
        guard let shaped = shapeScan(shape, document) else { return false }
        let text = String(decoding: document, as: UTF8.self)
        guard let expected = byteScan(document) else {
            let modelText = String(decoding: model, as: UTF8.self)
            Issue.record("invalid input matched the shape of \(modelText.debugDescription): \(text.debugDescription)", sourceLocation: sourceLocation)
            return true
        }
        #expect(shaped == expected, "different tapes for \(text.debugDescription)", sourceLocation: sourceLocation)
        return true
    }

    static func click(_ i: Int, id: String, value: String, flag: String, spaced: Bool = false) -> [UInt8] {
        let colon = spaced ? " : " : ":"
        return Array(
            """
            {"event_id"\(colon)"\(id)","user_id":"user-\(i)","ok":\(flag),"ts":\(1_700_000_000_000 + i),\
            "session":{"id":"s-\(i / 7)","tags":[1,"\(i)",\(flag)]},"value":\(value),"empty":{},"list":[]}
            """.utf8)
    }

    @Test func documentsDifferingOnlyInTheirValuesMatch() {
        let model = Self.click(0, id: "e0", value: "1.5", flag: "true")
        let values = ["0", "-1", "12345678901234567890", "3.25e-7", "-0.0", "1E+2"]
        let ids = ["", "e1-4c61-9e2f-5a4b3c2d1e0f", #"with \"quote\" and \\ and \/"#, "caf\\u00e9 \\ud83d\\ude00", "é€😀", String(repeating: "x", count: 300)]
        let flags = ["true", "false", "null"]
        for i in 0..<200 {
            let document = Self.click(
                i * 7919, id: ids[i % ids.count], value: values[i % values.count], flag: flags[i % flags.count])
            #expect(Self.expectAgreement(model: model, document: document), "\(String(decoding: document, as: UTF8.self))")
        }
    }

    @Test func anythingElseMisses() {
        let model = Self.click(0, id: "e0", value: "1.5", flag: "true")
        let misses: [[UInt8]] = [
            Self.click(0, id: "e0", value: "1.5", flag: "true", spaced: true),  // other whitespace
            Self.click(0, id: "e0", value: "\"1.5\"", flag: "true"),  // a string for a number
            Self.click(0, id: "e0", value: "1.5", flag: "\"true\""),  // a string for a literal
            Self.click(0, id: "e0", value: "[1]", flag: "true"),  // a container for a number
            Self.click(0, id: "e0", value: "1.5", flag: "tru"),
            Self.click(0, id: "e0", value: "1.5", flag: "falsy"),
            Self.click(0, id: "e0", value: "01", flag: "true"),
            Self.click(0, id: "e0", value: "1.", flag: "true"),
            Self.click(0, id: "e0", value: "1.5x", flag: "true"),
            Self.click(0, id: "e\u{1}0", value: "1.5", flag: "true"),  // a control byte in a string
            Self.click(0, id: "e0\\", value: "1.5", flag: "true"),  // the closing quote escaped
            Array(#"{"event_id":"e0"}"#.utf8),
            model + [0x20], [0x20] + model, Array(model.dropLast()),
        ]
        for document in misses {
            #expect(!Self.expectAgreement(model: model, document: document), "\(String(decoding: document, as: UTF8.self))")
        }
        #expect(Self.expectAgreement(model: model, document: model))
    }

    /// Random documents, each against the shape of itself with random values swapped in, and
    /// against random byte mutations of itself.
    @Test func generatedAndMutatedDocuments() throws {
        var g = SplitMix64(seed: 0x5A9E)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        var matched = 0
        for i in 0..<1_500 {
            let value = JSONRandomizedTests.randomValue(&g, depth: i % 3)
            let encoder = i.isMultiple(of: 2) ? JSONEncoder() : pretty
            if i.isMultiple(of: 2) { encoder.outputFormatting = [.sortedKeys] }
            let model = Array(try encoder.encode(value))
            let revalued = Array(try encoder.encode(Self.revalue(value, &g)))
            if Self.expectAgreement(model: model, document: revalued) { matched += 1 }
            var bytes = model
            JSONRandomizedTests.mutate(&bytes, &g)
            Self.expectAgreement(model: model, document: bytes)
        }
        // Most revalued documents keep their shape (a value that turns from a number into a
        // string, say, does not); far fewer would mean the shapes match too little to matter.
        #expect(matched > 1_000, "\(matched) of 1500 revalued documents matched")
    }

    /// `value` with each scalar replaced by another of its kind: the same shape, other values.
    static func revalue(_ value: AnyJSON, _ g: inout SplitMix64) -> AnyJSON {
        switch value {
        case .null, .bool: [.null, .bool(true), .bool(false)].randomElement(using: &g)!
        case .integer: .integer(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &g))
        case .double: .double(Double.random(in: -1e6...1e6, using: &g))
        case .string: .string(JSONRandomizedTests.randomString(&g))
        case .array(let elements): .array(elements.map { revalue($0, &g) })
        case .object(let members): .object(members.mapValues { revalue($0, &g) })
        }
    }

    /// More types than slots, read in turn, keep the slots they took and leave the rest to the
    /// byte scan (rather than evicting a shape on every decode); a slot whose type has gone idle
    /// goes to a new type.
    @Test func moreTypesThanSlotsDoNotEvictEachOther() {
        let types: [Any.Type] = [Int8.self, Int16.self, Int32.self, Int64.self, UInt8.self, UInt16.self, UInt32.self, UInt64.self, Float.self]
        #expect(types.count == JSONShapeCache.capacity + 1)
        var cache = JSONShapeCache()
        defer { cache.deallocate() }
        let tape = UnsafeMutablePointer<JSONToken>.allocate(capacity: 64)
        defer { tape.deallocate() }
        /// Decodes a document of `type` as the decoder does; returns whether its shape matched.
        func decode(_ type: Any.Type, _ i: Int) -> Bool {
            let bytes = Array(#"{"n":\#(i)}"#.utf8)
            return bytes.withUnsafeBufferPointer { input in
                if cache.scan(ObjectIdentifier(type), input.baseAddress!, input.count, into: tape, capacity: 63) != nil { return true }
                let scanned = Self.byteScan(bytes)!
                scanned.withUnsafeBufferPointer {
                    cache.learn(ObjectIdentifier(type), input.baseAddress!, input.count, tape: $0.baseAddress!, tokenCount: $0.count)
                }
                return false
            }
        }
        for round in 0..<50 {
            let hits = types.enumerated().map { decode($1, round * 10 + $0) }
            if round > 0 {
                #expect(hits == Array(repeating: true, count: JSONShapeCache.capacity) + [false], "round \(round)")
            }
        }
        // Only the last type is read now: once the others have been idle long enough, it takes a slot.
        let last = types[JSONShapeCache.capacity]
        let hits = (0..<JSONShapeCache.idleBeforeEviction + 2).map { decode(last, $0) }
        #expect(!hits[0] && hits.last!)
    }

    /// Through the decoder: a stream of one shape, with a change of shape in the middle, and two
    /// types read in turn, decode as Foundation decodes them.
    @Test func theDecoderKeepsAShapePerTypeAndLearnsNewOnes() throws {
        struct Point: Codable, Equatable { var x: Int64; var y: Int64; var label: String? }
        struct Pair: Codable, Equatable { var a: String; var b: [Int] }
        let decoder = FastJSONDecoder()
        for i in 0..<300 {
            let point = i < 150 ? #"{"x":\#(i),"y":\#(-i)}"# : #"{"x":\#(i),"y":\#(-i),"label":"p\#(i)"}"#
            let pair = #"{"a":"\#(i)","b":[\#(i),\#(i + 1)]}"#
            #expect(try decoder.decode(Point.self, from: Array(point.utf8)) == JSONDecoder().decode(Point.self, from: Data(point.utf8)))
            #expect(try decoder.decode(Pair.self, from: Array(pair.utf8)) == JSONDecoder().decode(Pair.self, from: Data(pair.utf8)))
        }
        // Invalid input of a known shape is still an error, the byte scan's.
        #expect(throws: JSONError.self) { try decoder.decode(Point.self, from: Array(#"{"x":1,"y":-1,"label":"p\#u{1}"}"#.utf8)) }
    }
}

extension JSONToken: Equatable {
    static func == (a: JSONToken, b: JSONToken) -> Bool {
        a.kind == b.kind && a.flags == b.flags && a.hint == b.hint && a.start == b.start && a.length == b.length && a.count == b.count
    }
}
