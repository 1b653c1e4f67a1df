/// Turns values into Kafka record bytes and back.
///
/// Kafka keys and values may be null: `deserialize` receives `nil` for a null, and `serialize`
/// returns `false` to write one. A serde of a non-optional type rejects a null with an error, which
/// sends the record to the dead-letter topic instead of crashing the worker.
///
/// ```swift
/// struct UppercaseSerde: Serde {
///     func serialize(_ value: String, into buffer: inout [UInt8]) throws -> Bool {
///         buffer.append(contentsOf: value.uppercased().utf8)
///         return true
///     }
///     func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> String {
///         guard let bytes else { throw SerdeError.null }
///         return String(decoding: bytes, as: UTF8.self)
///     }
/// }
/// ```
/// - Important: serdes are shared by every stream thread, so they must be `Sendable`.
public protocol Serde<Value>: Sendable {
    associatedtype Value
    /// Appends the bytes of `value` to `buffer`.
    /// - Returns: `false` when `value` is Kafka's null (nothing was appended).
    func serialize(_ value: Value, into buffer: inout [UInt8]) throws -> Bool
    /// Reads a value from `bytes`, which is `nil` for Kafka's null and valid only during the call.
    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Value
    /// Calls `body` with the bytes of `value` (`nil` for Kafka's null). The default serializes into
    /// `scratch` (emptied first); a serde whose values hold their bytes already lends them, so a
    /// sink copies nothing. Errors of `serialize` and of `body` pass through.
    func withSerialized<R>(_ value: Value, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R
    /// `withSerialized` for a body that returns nothing, as a sink's does. Not generic, so a call
    /// through `any Serde` reaches code specialised for the serde (the generic one, called that
    /// way, ran unspecialised per record). Default: `withSerialized`.
    func withSerializedBytes(_ value: Value, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> Void) throws
    /// A reader that fills the storage of values the pipeline has let go of, for a serde whose
    /// values own buffers (a source asks for one of its own). Default: `nil`.
    func makeRecycler() -> (any SerdeRecycler<Value>)?
}

/// Reads values into the storage of the last value recycled, when nothing else holds it: a source
/// of byte arrays then allocates nothing per record once warm. One per source, never shared
/// between threads.
///
/// A class behind an existential, not an `inout Value?` on the serde: generic operator code that
/// kept an optional of its value type looked up that type's metadata for every record.
public protocol SerdeRecycler<Value>: AnyObject {
    associatedtype Value
    /// Reads a value as the serde's ``Serde/deserialize(_:)`` does.
    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Value
    /// Offers `value`'s storage to the next read, once the pipeline is done with it. Values kept
    /// downstream stay intact: the storage is filled only if `value` was its last reference.
    /// Consuming: the caller's last use hands its reference over, with no retain and release.
    func recycle(_ value: consuming Value)
}

extension Serde {
    public func makeRecycler() -> (any SerdeRecycler<Value>)? { nil }

    public func withSerializedBytes(_ value: Value, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        try withSerialized(value, scratch: &scratch, body)
    }

    public func withSerialized<R>(_ value: Value, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        scratch.removeAll(keepingCapacity: true)
        guard try serialize(value, into: &scratch) else { return try body(nil) }
        return try scratch.withUnsafeBytes { try body($0) }
    }
}

/// Why bytes could not become a value (or the reverse). Never carries the bytes themselves.
public struct SerdeError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }

    /// A null key or value where the serde's type has no null.
    public static let null = SerdeError("null where a value is required")

    public var description: String { reason }
}

/// Lets a non-optional serde carry Kafka's null as `nil`: `.json(User.self).optional`.
public struct OptionalSerde<Wrapped: Serde>: Serde {
    public let wrapped: Wrapped
    public init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    public func serialize(_ value: Wrapped.Value?, into buffer: inout [UInt8]) throws -> Bool {
        guard let value else { return false }
        return try wrapped.serialize(value, into: &buffer)
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Wrapped.Value? {
        guard let bytes else { return nil }
        return try wrapped.deserialize(bytes)
    }

    // Sinks call this through `any Serde<K>`, unspecialised, where unwrapping looked up the
    // metadata of `Wrapped.Value?` for every record (2% of Nexmark q0's stream thread): nullable
    // byte and string keys (a topic without keys) get bodies of their own, picked by a type check
    // at this thin entry, which itself needs no metadata of the optional.
    @_specialize(where Wrapped == BytesSerde, R == Void)
    @_specialize(where Wrapped == StringSerde, R == Void)
    public func withSerialized<R>(_ value: Wrapped.Value?, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try serializedOrNull(value, scratch: &scratch, body)
    }

    @inline(never)
    private func serializedOrNull<R>(_ value: Wrapped.Value?, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        guard let value else { return try body(nil) }
        return try wrapped.withSerialized(value, scratch: &scratch, body)
    }
}

extension Serde {
    /// The same serde, reading Kafka's null as `nil` and writing `nil` as null.
    public var optional: OptionalSerde<Self> { OptionalSerde(self) }
}
