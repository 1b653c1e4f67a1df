// Measures FastJSONDecoder/FastJSONEncoder against Foundation on the reference click event,
// through Codable and (the `_tape` rows) through the event's own FastJSONDecodable/Encodable.
// CPU time (user + sys from getrusage) per operation, so other load on the machine matters less
// than with wall-clock time. Prints a table, then one JSON object per row for scripts.
import Foundation
import SluiceTopology

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
}

/// The same event read and written by hand: the `_tape` rows.
extension ClickEvent: FastJSONDecodable, FastJSONEncodable {
    init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(
            eventID: try object["event_id"].string(), userID: try object["user_id"].string(), type: try object["type"].string(),
            ts: try object["ts"].int64(), page: try object["page"].string(), session: try object["session"].decode(),
            value: try object["value"].double())
    }

    func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { object throws(JSONError) in
            object.field("event_id", eventID)
            object.field("user_id", userID)
            object.field("type", type)
            object.field("ts", ts)
            object.field("page", page)
            try object.field("session", session)
            try object.field("value", value)
        }
    }
}

extension ClickEvent.Session: FastJSONDecodable, FastJSONEncodable {
    init(json: JSONView) throws(JSONError) {
        let object = try json.object()
        self.init(id: try object["id"].string(), device: try object["device"].string(), country: try object["country"].string())
    }

    func encode(json: inout JSONOutput) throws(JSONError) {
        try json.object { object throws(JSONError) in
            object.field("id", id)
            object.field("device", device)
            object.field("country", country)
        }
    }
}

/// Through `Codable`, although `ClickEvent` also reads and writes itself: the generic context
/// picks the `Decodable`/`Encodable` overloads.
@MainActor func decodeCodable<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T { try fastDecoder.decode(type, from: bytes) }
@MainActor func encodeCodable<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws { try fastEncoder.encode(value, into: &buffer) }

let reference = Array(
    #"{"event_id":"3f1c9a2e-8b7d-4c61-9e2f-5a4b3c2d1e0f","user_id":"user-48213","type":"click","ts":1700000000123,"page":"/products/shoes/42","session":{"id":"s-99812","device":"mobile","country":"DE"},"value":19.99}"#
        .utf8)

func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

struct Row {
    var name: String
    var ops: Int
    var cpuSeconds: Double
    var opsPerCPUSecond: Double { Double(ops) / cpuSeconds }
}

/// Runs `body` `count` times after a short warm-up and returns the CPU time it took.
@MainActor func measure(_ name: String, count: Int, _ body: () throws -> Void) rethrows -> Row? {
    if let only, only != name { return nil }
    for _ in 0..<min(count / 10, 10_000) { try body() }
    let start = cpuSeconds()
    for _ in 0..<count { try body() }
    return Row(name: name, ops: count, cpuSeconds: cpuSeconds() - start)
}

var count = 2_000_000
var only: String?  // run a single row, e.g. under `perf record`
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--count", let value = arguments.popFirst().flatMap(Int.init), value > 0 {
        count = value
    } else if argument == "--only", let name = arguments.popFirst() {
        only = name
    } else {
        print("usage: sluice-json-bench [--count N] [--only ROW-NAME]   (N > 0, default 2000000)")
        exit(2)
    }
}
let foundationCount = max(count / 10, 1)

let fastDecoder = FastJSONDecoder()
let fastEncoder = FastJSONEncoder()
let foundationDecoder = JSONDecoder()
let foundationEncoder = JSONEncoder()
let referenceData = Data(reference)
let expected = try foundationDecoder.decode(ClickEvent.self, from: referenceData)
var codableBytes: [UInt8] = []
try encodeCodable(expected, into: &codableBytes)
guard try reference.withUnsafeBytes({ try decodeCodable(ClickEvent.self, from: $0) }) == expected,
    try fastDecoder.decode(ClickEvent.self, from: reference) == expected,
    try foundationDecoder.decode(ClickEvent.self, from: Data(codableBytes)) == expected,
    try fastEncoder.encode(expected) == codableBytes
else {
    print("FastJSON disagrees with Foundation on the reference event")
    exit(1)
}

var sink = 0  // keeps the optimizer from discarding results
var output: [UInt8] = []
output.reserveCapacity(512)
let rows: [Row] = try [
    measure("json_decode_sluice", count: count) {
        try reference.withUnsafeBytes { sink &+= Int(try decodeCodable(ClickEvent.self, from: $0).ts) }
    },
    measure("json_decode_sluice_tape", count: count) {
        try reference.withUnsafeBytes { sink &+= Int(try fastDecoder.decode(ClickEvent.self, from: $0).ts) }
    },
    measure("json_decode_foundation", count: foundationCount) {
        sink &+= Int(try foundationDecoder.decode(ClickEvent.self, from: referenceData).ts)
    },
    measure("json_encode_sluice", count: count) {
        output.removeAll(keepingCapacity: true)
        try encodeCodable(expected, into: &output)
        sink &+= output.count
    },
    measure("json_encode_sluice_tape", count: count) {
        output.removeAll(keepingCapacity: true)
        try fastEncoder.encode(expected, into: &output)
        sink &+= output.count
    },
    measure("json_encode_foundation", count: foundationCount) {
        sink &+= try foundationEncoder.encode(expected).count
    },
].compactMap { $0 }

print("event: \(reference.count) bytes; sink \(sink & 1)")
print("name".padding(toLength: 26, withPad: " ", startingAt: 0) + "ops".leftPadded(10) + "cpu s".leftPadded(10) + "ops/cpu s".leftPadded(14))
for row in rows {
    print(
        row.name.padding(toLength: 26, withPad: " ", startingAt: 0) + "\(row.ops)".leftPadded(10)
            + String(format: "%.3f", row.cpuSeconds).leftPadded(10) + String(format: "%.0f", row.opsPerCPUSecond).leftPadded(14))
}
for row in rows {
    print(
        #"{"name":"\#(row.name)","ops":\#(row.ops),"cpu_seconds":\#(String(format: "%.6f", row.cpuSeconds)),"#
            + #""ops_per_cpu_second":\#(String(format: "%.1f", row.opsPerCPUSecond))}"#)
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
