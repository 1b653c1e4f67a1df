/// UTF-8 text, as Kafka's `StringSerializer`.
public struct StringSerde: Serde {
    /// `SmallASCIIString.isAvailable`, read once here: as a lazy global it is a call per record.
    @usableFromInline let smallStrings = SmallASCIIString.isAvailable
    public init() {}
    @inlinable public func serialize(_ value: String, into buffer: inout [UInt8]) throws -> Bool {
        var value = value
        value.withUTF8 { buffer.append(contentsOf: $0) }
        return true
    }
    @inlinable public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> String {
        guard let bytes else { throw SerdeError.null }
        // ASCII needs no validation, and most keys are short ASCII ids.
        if bytes.count <= SmallASCIIString.maximumCount, smallStrings, let base = bytes.baseAddress,
            let string = SmallASCIIString.make(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        {
            return string
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    public func withSerialized<R>(_ value: String, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        var value = value
        return try value.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

/// The bytes as they are.
public struct BytesSerde: Serde {
    public init() {}
    @inlinable public func serialize(_ value: [UInt8], into buffer: inout [UInt8]) throws -> Bool {
        buffer.append(contentsOf: value)
        return true
    }
    @inlinable public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> [UInt8] {
        guard let bytes else { throw SerdeError.null }
        // Not `init(unsafeUninitializedCapacity:)`: that calls the stdlib's unspecialised array
        // allocation, which looks up `_ContiguousArrayStorage<UInt8>`'s metadata in a hash table
        // on every call (about 20 ns per record, twice per record in a bytes passthrough).
        return Array(bytes)
    }
    public func makeRecycler() -> (any SerdeRecycler<[UInt8]>)? { BytesRecycler() }
    public func withSerialized<R>(_ value: [UInt8], scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try value.withUnsafeBytes { try body($0) }
    }
}

/// An 8-byte big-endian integer, as Kafka's `LongSerializer`.
public struct Int64Serde: Serde {
    public init() {}
    @inlinable public func serialize(_ value: Int64, into buffer: inout [UInt8]) throws -> Bool {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
        return true
    }
    @inlinable public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Int64 {
        guard let bytes else { throw SerdeError.null }
        guard bytes.count == 8 else { throw SerdeError("an int64 takes 8 bytes, not \(bytes.count)") }
        return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
    }
}

extension Serde where Self == StringSerde {
    /// UTF-8 text.
    public static var string: StringSerde { StringSerde() }
}

extension Serde where Self == BytesSerde {
    /// Raw bytes.
    public static var bytes: BytesSerde { BytesSerde() }
}

extension Serde where Self == Int64Serde {
    /// 8-byte big-endian integers (Kafka's `LongSerde`).
    public static var int64: Int64Serde { Int64Serde() }
}

/// Fills the last recycled array again; see ``SerdeRecycler``.
final class BytesRecycler: SerdeRecycler {
    // A source operator's own, used on its task's thread only: a run-time exclusivity check per
    // record would cost more than the copy it guards.
    @exclusivity(unchecked) private var spare: [UInt8]?

    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> [UInt8] {
        guard let bytes else { throw SerdeError.null }
        // A spare too small would grow as it filled, costing what a new array costs. One of more
        // than twice the record's size is let go too: if downstream kept it after all, the copy
        // below takes its capacity, and a cache of such copies would hold mostly slack.
        // Taken out of `spare`, not copied and then cleared: a retain and a release fewer.
        guard var array = spare.take(), array.capacity >= bytes.count, array.capacity <= 2 * bytes.count + 64 else {
            return Array(bytes)
        }
        // In place only if downstream kept no reference to the recycled value; otherwise
        // copy-on-write gives this array a buffer of its own, as `Array(bytes)` would.
        // One call replaces the old bytes with the new (removing, then appending, took two).
        array.replaceSubrange(0..<array.count, with: bytes.assumingMemoryBound(to: UInt8.self))
        return array
    }

    func recycle(_ value: consuming [UInt8]) { spare = value }
}
