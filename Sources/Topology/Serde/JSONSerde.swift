#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON for `Codable` types, through Sluice's fast codec (`FastJSONDecoder`, `FastJSONEncoder`):
/// about six times Foundation's decoding rate, with Foundation's behaviour.
///
/// A serde is shared by every stream thread, and the codecs keep scratch buffers between calls, so
/// each thread gets codecs of its own.
public struct JSONSerde<Value: Codable & Sendable>: Serde {
    /// The type's own tape reader when it is ``FastJSONDecodable``, chosen once here rather
    /// than by a conformance check per record. (The closures capture nothing but a metatype, so
    /// threads may share them.)
    nonisolated(unsafe) private let fastDecode: ((FastJSONDecoder, UnsafeRawBufferPointer) throws(JSONError) -> Value)?

    /// The type's own writer when it is ``FastJSONEncodable``, chosen once like `fastDecode`.
    nonisolated(unsafe) private let fastEncode: ((FastJSONEncoder, Value, inout [UInt8]) throws(JSONError) -> Void)?

    /// This thread's codecs are found through it per record (see `JSONCodecs.Slot.shared`).
    private let codecs = JSONCodecs.Slot.shared

    /// - Parameter codableOnly: Go through `Codable` even when the type reads or writes itself
    ///   (``FastJSONDecodable``, ``FastJSONEncodable``): to check the two against each other, or
    ///   to measure what they save.
    public init(codableOnly: Bool = false) {
        fastDecode = codableOnly ? nil : (Value.self as? any FastJSONDecodable.Type).map { Self.fastDecoder(for: $0) }
        fastEncode = codableOnly ? nil : (Value.self as? any FastJSONEncodable.Type).map { Self.fastEncoder(for: $0) }
    }

    private static func fastEncoder<T: FastJSONEncodable>(
        for type: T.Type
    ) -> (FastJSONEncoder, Value, inout [UInt8]) throws(JSONError) -> Void {
        // `T` is `Value`, as for `fastDecoder`.
        { encoder, value, buffer throws(JSONError) in try encoder.encode(unsafeBitCast(value, to: T.self), into: &buffer) }
    }

    private static func fastDecoder<T: FastJSONDecodable>(
        for type: T.Type
    ) -> (FastJSONDecoder, UnsafeRawBufferPointer) throws(JSONError) -> Value {
        // `T` is `Value` (the cast above succeeded on `Value.self`): only the compiler does not know.
        { decoder, bytes throws(JSONError) in unsafeBitCast(try decoder.decode(T.self, from: bytes), to: Value.self) }
    }

    public func serialize(_ value: Value, into buffer: inout [UInt8]) throws -> Bool {
        if let fastEncode {
            try codecs.withCurrent { try fastEncode($0.encoder, value, &buffer) }
        } else {
            try codecs.withCurrent { try $0.encoder.encode(value, into: &buffer) }
        }
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Value {
        guard let bytes else { throw SerdeError.null }
        if let fastDecode { return try codecs.withCurrent { try fastDecode($0.decoder, bytes) } }
        return try codecs.withCurrent { try $0.decoder.decode(Value.self, from: bytes) }
    }
}

extension Serde {
    /// JSON for a `Codable` type: `.json(Click.self)`, or `.json()` where the type is known.
    /// `codableOnly`: see ``JSONSerde/init(codableOnly:)``.
    public static func json<T>(_ type: T.Type = T.self, codableOnly: Bool = false) -> JSONSerde<T> where Self == JSONSerde<T> {
        JSONSerde(codableOnly: codableOnly)
    }
}

/// One decoder and encoder per thread, found through a ``Slot``.
final class JSONCodecs {
    let decoder = FastJSONDecoder()
    let encoder = FastJSONEncoder()
    // Only its own thread reaches it (a thread-local), so it needs no run-time exclusivity check.
    @exclusivity(unchecked) private var busy = false

    /// The thread-local slot that holds each thread's codecs.
    struct Slot: Sendable {
        let key: pthread_key_t

        /// Made once per process. A serde keeps a copy: as a lazy global read per record, the
        /// slot cost a call into the runtime's `swift_once` each time.
        static let shared: Slot = {
            var key = pthread_key_t()
            // The destructor releases a thread's codecs when the thread ends.
            let status = pthread_key_create(&key) { pointer in
                if let pointer { Unmanaged<JSONCodecs>.fromOpaque(pointer).release() }
            }
            precondition(status == 0, "pthread_key_create failed: \(status)")
            return Slot(key: key)
        }()

        /// Runs `body` with this thread's codecs; a nested call (a type's `init(from:)` decoding
        /// JSON itself) gets fresh ones, so it cannot disturb the scratch buffers of the outer call.
        func withCurrent<R>(_ body: (JSONCodecs) throws -> R) throws -> R {
            // The thread-local slot keeps its codecs alive for the call: borrowing them without a
            // retain saves a retain and a release per record.
            try current._withUnsafeGuaranteedRef { codecs in
                if codecs.busy { return try body(JSONCodecs()) }
                codecs.busy = true
                defer { codecs.busy = false }
                return try body(codecs)
            }
        }

        private var current: Unmanaged<JSONCodecs> {
            if let existing = pthread_getspecific(key) { return Unmanaged<JSONCodecs>.fromOpaque(existing) }
            let made = Unmanaged.passRetained(JSONCodecs())
            pthread_setspecific(key, made.toOpaque())
            return made
        }
    }
}
