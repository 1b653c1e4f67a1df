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

    /// The tape reader (`FastJSONDecodable`, what `NexmarkEventSerde` runs) gives what `Codable` gives.
    @Test func tapeReaderDecodesWhatCodableDecodes() throws {
        func viaCodable<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T { try FastJSONDecoder().decode(type, from: bytes) }
        let decoder = FastJSONDecoder()
        for event in Self.events {
            let fast = try decoder.decode(NexmarkEvent.self, from: event.jsonBytes)
            #expect(fast == event)
            #expect(fast == (try viaCodable(NexmarkEvent.self, event.jsonBytes)))
        }
        // Absent rows left out, members reordered, escapes and a fraction of a second.
        let reordered = #"{"bid":{"extra":"","dateTime":"2015-07-15 00:00:01.5","url":"u\/1","channel":"A\u0070ple","price":7,"bidder":2,"auction":1},"event_type":2}"#
        let bid = try decoder.decode(NexmarkEvent.self, from: Array(reordered.utf8))
        #expect(bid == (try viaCodable(NexmarkEvent.self, Array(reordered.utf8))))
        guard case .bid(let b) = bid else { Issue.record("not a bid"); return }
        #expect(b.channel == "Apple" && b.url == "u/1" && b.dateTime.millisecondsSinceEpoch % 1000 == 500)
    }

    @Test func tapeReaderErrorsNameThePath() throws {
        func error(_ json: String) -> JSONError? {
            do {
                _ = try FastJSONDecoder().decode(NexmarkEvent.self, from: Array(json.utf8))
                return nil
            } catch {
                return error
            }
        }
        let unknown = try #require(error(#"{"event_type":3}"#))
        #expect(unknown.code == .dataCorrupted && unknown.codingPath == "event_type")
        let mismatched = try #require(error(#"{"event_type":1,"person":null,"auction":null,"bid":null}"#))
        #expect(mismatched.code == .valueNotFound && mismatched.codingPath == "auction")
        let time = #"{"event_type":2,"bid":{"auction":1,"bidder":2,"price":3,"channel":"c","url":"u","dateTime":"2015-13-01 00:00:00","extra":""}}"#
        let badTime = try #require(error(time))
        #expect(badTime.code == .dataCorrupted && badTime.codingPath == "bid.dateTime")
        #expect(throws: (any Error).self) { try Array(time.utf8).withUnsafeBytes { try NexmarkEventSerde().deserialize($0) } }
    }
}
