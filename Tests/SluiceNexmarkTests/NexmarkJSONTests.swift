import Foundation
import SluiceNexmark
import SluiceTopology
import Testing

/// The hand-written JSON against `Codable` and against Foundation's reader.
@Suite struct NexmarkJSONTests {
    static let events: [NexmarkEvent] = {
        var config = NexmarkConfig()
        config.outOfOrderGroupSize = 50
        return Array(try! NexmarkGenerator(config: config).prefix(2_000))
    }()

    @Test func fastJSONDecodesToTheSameEvent() throws {
        for event in Self.events {
            #expect(try JSONDecoder().decode(NexmarkEvent.self, from: Data(event.jsonBytes)) == event)
        }
    }

    /// Codable and the fast path agree on every byte but Foundation's `\/` for `/`.
    @Test func fastJSONMatchesCodable() throws {
        let encoder = FastJSONEncoder()
        for event in Self.events {
            let codable = String(decoding: try encoder.encode(event), as: UTF8.self)
            #expect(codable.replacingOccurrences(of: #"\/"#, with: "/") == String(decoding: event.jsonBytes, as: UTF8.self))
        }
    }

    @Test func absentRowsAreNull() throws {
        let person = try #require(Self.events.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(person.jsonBytes)) as? [String: Any])
        #expect(object["event_type"] as? Int == 0)
        #expect(object["auction"] is NSNull && object["bid"] is NSNull)
        #expect((object["person"] as? [String: Any])?["dateTime"] as? String == "2015-07-15 00:00:00")
    }

    @Test func escapesLikeJackson() throws {
        let bid = NexmarkEvent.bid(
            Bid(auction: -1, bidder: .max, price: .min, channel: "a\"b\\c/d", url: "\u{1}\n\té",
                dateTime: .beamBaseTime, extra: ""))
        let json = String(decoding: bid.jsonBytes, as: UTF8.self)
        #expect(json.contains(#""channel":"a\"b\\c/d","url":"\u0001\n\té""#))
        #expect(json.contains(#""auction":-1,"bidder":9223372036854775807,"price":-9223372036854775808"#))
        #expect(try JSONDecoder().decode(NexmarkEvent.self, from: Data(bid.jsonBytes)) == bid)
    }

    @Test func serdeRoundTrips() throws {
        let serde = NexmarkEventSerde()
        for event in Self.events.prefix(200) {
            var buffer: [UInt8] = []
            #expect(try serde.serialize(event, into: &buffer))
            #expect(buffer == event.jsonBytes)
            #expect(try buffer.withUnsafeBytes { try serde.deserialize($0) } == event)
        }
        #expect(throws: (any Error).self) { try serde.deserialize(nil) }
    }

    @Test func decodingRejectsAMismatchedEventType() {
        let json = #"{"event_type":1,"person":null,"auction":null,"bid":null}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(NexmarkEvent.self, from: Data(json.utf8)) }
        let unknown = #"{"event_type":3}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(NexmarkEvent.self, from: Data(unknown.utf8)) }
    }
}
