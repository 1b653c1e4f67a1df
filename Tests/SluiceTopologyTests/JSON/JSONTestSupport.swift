import Foundation
import SluiceTopology
import Testing

/// Decodes `json` with Foundation and with FastJSONDecoder and expects the same outcome:
/// equal values, or both failing.
func expectSameDecoding<T: Decodable & Equatable>(
    _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let bytes = Array(json.utf8)
    let foundation = try? JSONDecoder().decode(type, from: Data(bytes))
    let fast: T?
    do {
        fast = try FastJSONDecoder().decode(type, from: bytes)
    } catch {
        fast = nil
    }
    #expect(fast == foundation, "\(T.self) from \(json)", sourceLocation: sourceLocation)
    if foundation == nil {
        #expect(fast == nil, "FastJSONDecoder accepted what Foundation rejects: \(json)", sourceLocation: sourceLocation)
    }
}

/// The error FastJSONDecoder throws for `json`, or `nil` (recorded as a failure) if it succeeds.
func decodingError<T: Decodable>(
    _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) -> JSONError? {
    do {
        _ = try FastJSONDecoder().decode(type, from: Array(json.utf8))
        Issue.record("expected an error decoding \(T.self) from \(json)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Encodes with both encoders; expects identical bytes when `sameBytes` (output whose order
/// Foundation fixes), and always that Foundation's decoder reads ours back equal.
func expectSameEncoding<T: Codable & Equatable>(
    _ value: T, sameBytes: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let ours = try FastJSONEncoder().encode(value)
    let theirs = try JSONEncoder().encode(value)
    if sameBytes {
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self), sourceLocation: sourceLocation)
    }
    #expect(try JSONDecoder().decode(T.self, from: Data(ours)) == value, sourceLocation: sourceLocation)
    #expect(try FastJSONDecoder().decode(T.self, from: ours) == value, sourceLocation: sourceLocation)
}

/// Any JSON value, decoded through the generic containers (keyed with `allKeys`, unkeyed,
/// single value), so it exercises the same paths on both decoders.
indirect enum AnyJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var members: [String: AnyJSON] = [:]
            for key in keyed.allKeys { members[key.stringValue] = try keyed.decode(AnyJSON.self, forKey: key) }
            self = .object(members)
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [AnyJSON] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(AnyJSON.self)) }
            self = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let bool = try? single.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? single.decode(Int64.self) {
                self = .integer(integer)
            } else if let double = try? single.decode(Double.self) {
                self = .double(double)
            } else {
                self = .string(try single.decode(String.self))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .integer(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .double(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let elements):
            var unkeyed = encoder.unkeyedContainer()
            for element in elements { try unkeyed.encode(element) }
        case .object(let members):
            var keyed = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try keyed.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}

/// A small deterministic generator (SplitMix64), so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The reference event of the benchmark.
struct ClickEvent: Codable, Equatable {
    struct Session: Codable, Equatable {
        var id: String
        var device: String
        var country: String
    }
    var eventID: String
    var userID: String
    var type: String
    var ts: Int64
    var page: String
    var session: Session
    var value: Double
    enum CodingKeys: String, CodingKey {
        case eventID = "event_id", userID = "user_id", type, ts, page, session, value
    }

    static let referenceJSON =
        #"{"event_id":"3f1c9a2e-8b7d-4c61-9e2f-5a4b3c2d1e0f","user_id":"user-48213","type":"click","ts":1700000000123,"page":"/products/shoes/42","session":{"id":"s-99812","device":"mobile","country":"DE"},"value":19.99}"#
}
