import Foundation
import SluiceTopology
import Testing

@Suite struct ClickEventTests {
    @Test func decodesTheReferenceEventLikeFoundation() throws {
        let bytes = Array(ClickEvent.referenceJSON.utf8)
        let fast = try FastJSONDecoder().decode(ClickEvent.self, from: bytes)
        #expect(fast == (try JSONDecoder().decode(ClickEvent.self, from: Data(bytes))))
        #expect(fast.session.country == "DE")
        #expect(fast.value == 19.99)
        #expect(fast.ts == 1_700_000_000_123)
    }

    @Test func roundTripsByteForByte() throws {
        let event = try FastJSONDecoder().decode(ClickEvent.self, from: Array(ClickEvent.referenceJSON.utf8))
        // Foundation escapes "/" as "\/" and orders keys by hash, so compare by value, and
        // against our own stable output.
        let encoded = try FastJSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(ClickEvent.self, from: Data(encoded)) == event)
        #expect(
            String(decoding: encoded, as: UTF8.self)
                == ClickEvent.referenceJSON.replacingOccurrences(of: "/", with: #"\/"#))
    }

    @Test func reusedDecoderAndEncoderGiveTheSameResults() throws {
        let decoder = FastJSONDecoder()
        let encoder = FastJSONEncoder()
        let bytes = Array(ClickEvent.referenceJSON.utf8)
        let first = try decoder.decode(ClickEvent.self, from: bytes)
        var buffer: [UInt8] = []
        for _ in 0..<100 {
            #expect(try decoder.decode(ClickEvent.self, from: bytes) == first)
            buffer.removeAll(keepingCapacity: true)
            try encoder.encode(first, into: &buffer)
            #expect(try decoder.decode(ClickEvent.self, from: buffer) == first)
        }
    }

    @Test func encodeAppendsToTheBuffer() throws {
        var buffer = Array("prefix:".utf8)
        try FastJSONEncoder().encode(42, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:42")
    }
}
