/// A window of event time, in milliseconds since the epoch.
///
/// Tumbling and hopping windows are `[start, end)`; sliding and session windows are `[start, end]`,
/// as in Kafka Streams (`endIsInclusive` says which).
public struct Window: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let start: Int64
    public let end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    public static func < (a: Window, b: Window) -> Bool { (a.start, a.end) < (b.start, b.end) }
    public var description: String { "[\(start),\(end)]" }
}

/// A key of a windowed aggregation: the record key and the window it was aggregated in.
public struct Windowed<Key> {
    public var key: Key
    public var window: Window

    public init(key: Key, window: Window) {
        self.key = key
        self.window = window
    }
}

extension Windowed: Equatable where Key: Equatable {}
extension Windowed: Hashable where Key: Hashable {}
extension Windowed: Sendable where Key: Sendable {}
extension Windowed: CustomStringConvertible {
    public var description: String { "\(key)@\(window)" }
}

/// A windowed key on the wire: the key's bytes, then the window's start and end as 8-byte
/// big-endian integers (Kafka Streams' time-windowed serde writes the start only; the end makes
/// session and sliding keys self-describing).
public struct WindowedSerde<KeySerde: Serde>: Serde {
    public let keySerde: KeySerde
    public init(_ keySerde: KeySerde) { self.keySerde = keySerde }

    // Generic code looks up `Windowed<Key>`'s metadata on every call; windowed results, a record
    // each, are mostly keyed by strings or integers (`AnySerde` is how a windowed stream holds the
    // key serde it was given). The bodies are apart so that the generic entries, which choose the
    // specialised ones, need no other metadata first.
    @_specialize(where KeySerde == StringSerde)
    @_specialize(where KeySerde == Int64Serde)
    @_specialize(where KeySerde == AnySerde<String>)
    @_specialize(where KeySerde == AnySerde<Int64>)
    public func serialize(_ value: Windowed<KeySerde.Value>, into buffer: inout [UInt8]) throws -> Bool {
        try write(value, into: &buffer)
    }

    @_specialize(where KeySerde == StringSerde)
    @_specialize(where KeySerde == Int64Serde)
    @_specialize(where KeySerde == AnySerde<String>)
    @_specialize(where KeySerde == AnySerde<Int64>)
    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Windowed<KeySerde.Value> {
        try read(bytes)
    }

    @inline(never)
    func write(_ value: Windowed<KeySerde.Value>, into buffer: inout [UInt8]) throws -> Bool {
        guard try keySerde.serialize(value.key, into: &buffer) else { throw SerdeError("a windowed key needs a key") }
        ByteOrder.appendInt64(value.window.start, to: &buffer)
        ByteOrder.appendInt64(value.window.end, to: &buffer)
        return true
    }

    @inline(never)
    func read(_ bytes: UnsafeRawBufferPointer?) throws -> Windowed<KeySerde.Value> {
        guard let bytes else { throw SerdeError.null }
        guard bytes.count >= 16 else { throw SerdeError("a windowed key takes at least 16 bytes, not \(bytes.count)") }
        let keyBytes = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 16)])
        let key = try keySerde.deserialize(keyBytes)
        let start = ByteOrder.int64(bytes, at: bytes.count - 16)
        let end = ByteOrder.int64(bytes, at: bytes.count - 8)
        return Windowed(key: key, window: Window(start: start, end: end))
    }
}

extension Serde {
    /// Windowed keys whose key is written by `keySerde`: `.windowed(.string)`.
    public static func windowed<K: Serde>(_ keySerde: K) -> WindowedSerde<K> where Self == WindowedSerde<K> {
        WindowedSerde(keySerde)
    }
}

/// Big-endian integers in byte buffers.
public enum ByteOrder {
    @inlinable public static func appendInt64(_ v: Int64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { buffer.append(contentsOf: $0) }
    }

    @inlinable public static func int64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }
}
