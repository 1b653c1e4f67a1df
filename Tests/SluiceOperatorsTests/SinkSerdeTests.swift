import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// A serde whose values hold their bytes: it lends them through `withSerialized`, and its
/// `serialize` (which a sink must not need) refuses.
private struct LendingSerde: Serde {
    func serialize(_ value: String, into buffer: inout [UInt8]) throws -> Bool { throw SerdeError("serialize called") }
    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> String { String(decoding: bytes ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self) }
    func withSerialized<R>(_ value: String, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        var lent = "lent:" + value
        return try lent.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

/// A serde that writes sinks' bytes through `withSerializedBytes` itself.
private struct SinkOnlySerde: Serde {
    func serialize(_ value: String, into buffer: inout [UInt8]) throws -> Bool { throw SerdeError("serialize called") }
    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> String { String(decoding: bytes ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self) }
    func withSerializedBytes(_ value: String, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        scratch = Array("sink:\(value)".utf8)
        try scratch.withUnsafeBytes { try body($0) }
    }
}

@Suite("A sink writes what its serdes lend")
struct SinkSerdeTests {
    @Test func aSerdesOwnWithSerializedIsWhatASinkWrites() throws {
        let d = try driver { $0.mapValues(\.type).to("out", key: LendingSerde(), value: LendingSerde()) }
        try d.events.pipe(key: "u1", value: .e("u1", "click"))
        let out = d.output("out", key: .string, value: .string)
        #expect(try out.readKeyValues().map { "\($0.0)=\($0.1)" } == ["lent:u1=lent:click"])
    }

    @Test func aSerdesOwnWithSerializedBytesIsWhatASinkWrites() throws {
        let d = try driver { $0.mapValues(\.type).to("out", key: .string, value: SinkOnlySerde()) }
        try d.events.pipe(key: "u1", value: .e("u1", "view"))
        let out = d.output("out", key: .string, value: .string)
        #expect(try out.readKeyValues().map { "\($0.0)=\($0.1)" } == ["u1=sink:view"])
    }
}
