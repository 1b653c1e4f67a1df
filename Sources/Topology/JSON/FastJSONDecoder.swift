/// Decodes `Decodable` values from JSON, compatible with Foundation's `JSONDecoder` under its
/// default strategies, at a fraction of its cost.
///
/// Decoding runs in two phases: one pass validates the input and records a flat tape of tokens
/// (no allocation), then the value's `init(from:)` walks the tape. A document with the shape of
/// the last one of its type (the same keys and separators, other values) is scanned against that
/// shape, comparing the bytes between its values instead of scanning them (`JSONShape`). Keys
/// are matched by comparing UTF-8 bytes, so no String is created for them. The decoder keeps its
/// tape, scratch buffers, shapes and keyed-container boxes between calls: in steady state a
/// decode allocates only what the result itself owns (Strings longer than 15 UTF-8 bytes, arrays,
/// dictionaries).
///
/// Differences from Foundation: trailing commas (`[1,]`, `{"a":1,}`), which Foundation
/// tolerates, are rejected as invalid JSON; error values are ``JSONError`` rather than
/// `DecodingError` and say more precisely what went wrong. Duplicate keys resolve to the
/// first occurrence, as Foundation does.
///
/// ```swift
/// let decoder = FastJSONDecoder()
/// let event = try decoder.decode(ClickEvent.self, from: recordBytes)
/// ```
///
/// - Important: Not thread-safe. Use one decoder per thread or task. The `Decoder` passed to
///   `init(from:)` is valid only until that initializer returns.
public final class FastJSONDecoder {
    /// The deepest nesting of arrays and objects accepted (Foundation's limit). Default: 512.
    public static let maximumDepth = 512

    /// Passed to `init(from:)` as `decoder.userInfo`. Default: empty.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:] {
        didSet { cachedDecoder = nil }
    }

    private let tape = JSONTape()
    private let stack: UnsafeMutablePointer<(index: Int, keys: UInt64)>
    // Not thread-safe by contract (one decoder per thread): no run-time exclusivity checks per decode.
    @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCapacity = 256
    private let shared: UnsafeMutablePointer<JSONDecodingShared>
    @exclusivity(unchecked) private var shapes = JSONShapeCache()
    private var cachedDecoder: JSONDecoderImpl?

    public init() {
        stack = .allocate(capacity: Self.maximumDepth)
        scratch = .allocate(capacity: scratchCapacity)
        shared = .allocate(capacity: 1)
        shared.initialize(to: JSONDecodingShared(input: UnsafePointer(scratch), tape: tape.tokens, scratch: scratch))
        shared.pointee.owner = .passUnretained(self)
    }

    deinit {
        stack.deallocate()
        scratch.deallocate()
        shapes.deallocate()
        shared.deinitialize(count: 1).deallocate()
    }

    /// Decodes a value of `type` from the UTF-8 JSON in `bytes`.
    ///
    /// - Parameters:
    ///   - type: The type to decode; any `Decodable`, or a scalar at the top level.
    ///   - bytes: The complete JSON text. It must not be mutated during the call.
    /// - Throws: ``JSONError`` for invalid JSON, a value that does not match `type`, or an error
    ///   thrown by the type's own `init(from:)` (code ``JSONError/Code/underlying``).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws(JSONError) -> T {
        try scan(bytes, of: ObjectIdentifier(type))
        let decoder = makeDecoder()
        defer {
            if !shared.pointee.keepAlive.isEmpty { shared.pointee.keepAlive.removeAll() }
        }
        do {
            return try decoder.decode(type)
        } catch {
            throw JSONError(translating: error, offset: nil)
        }
    }

    /// Decodes a value of a ``FastJSONDecodable`` type through its ``FastJSONDecodable/init(json:)``,
    /// bypassing `Codable`'s containers.
    ///
    /// - Throws: ``JSONError`` for invalid JSON or whatever the type's initializer throws.
    public func decode<T: FastJSONDecodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws(JSONError) -> T {
        try scan(bytes, of: ObjectIdentifier(type))
        // Only `Codable` members (`JSONView.decode(codable:)`) make decoders to keep alive.
        defer {
            if !shared.pointee.keepAlive.isEmpty { shared.pointee.keepAlive.removeAll() }
        }
        return try T(json: JSONView(reader: JSONTapeReader(shared: shared), index: 0))
    }

    /// Decodes a value of a ``FastJSONDecodable`` type; see ``decode(_:from:)-(_,UnsafeRawBufferPointer)``.
    public func decode<T: FastJSONDecodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONError) -> T {
        do {
            return try bytes.withUnsafeBytes { buffer throws(JSONError) in try decode(type, from: buffer) }
        } catch {
            throw JSONError(translating: error, offset: nil)
        }
    }

    /// Validates `bytes` and records its tape: the first phase of every decode. Documents of
    /// `type` that have the shape of the last one are scanned against it (`JSONShapeCache`).
    private func scan(_ bytes: UnsafeRawBufferPointer, of type: ObjectIdentifier) throws(JSONError) {
        guard bytes.count < Int(UInt32.max) else {
            throw JSONError(code: .inputTooLarge, offset: 0, reason: "input exceeds 4 GiB")
        }
        // An empty buffer may have no base address; scan a 1-byte stand-in of length 0.
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(scratch)
        tape.reserve(JSONScanner.tokenBound(forByteCount: bytes.count, maximumDepth: Self.maximumDepth))
        if bytes.count > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(bytes.count, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let count: Int
        if let shaped = shapes.scan(type, base, bytes.count, into: tape.tokens, capacity: tape.capacity - 1) {
            count = shaped
        } else {
            var scanner = JSONScanner(
                bytes: base, count: bytes.count, tape: tape.tokens, capacity: tape.capacity - 1, stack: stack,
                maximumDepth: Self.maximumDepth)
            try scanner.scan()
            count = scanner.count
            shapes.learn(type, base, bytes.count, tape: tape.tokens, tokenCount: count)
        }
        tape.count = count
        tape.tokens[count] = JSONToken(kind: .null, start: UInt32(truncatingIfNeeded: bytes.count))
        shared.pointee.input = base
        shared.pointee.tape = tape.tokens
        shared.pointee.scratch = scratch
        shared.pointee.nullIndex = count
    }

    /// Decodes a value of `type` from the UTF-8 JSON in `bytes`; see ``decode(_:from:)-(_,UnsafeRawBufferPointer)``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONError) -> T {
        do {
            return try bytes.withUnsafeBytes { buffer in try decode(type, from: buffer) }
        } catch {
            throw JSONError(translating: error, offset: nil)
        }
    }

    /// Reuses the top-level decoder unless a previous `init(from:)` kept a reference to it. Also
    /// what a hand-written reader's `Codable` members are decoded with, made only when one asks.
    func makeDecoder() -> JSONDecoderImpl {
        if isKnownUniquelyReferenced(&cachedDecoder), let decoder = cachedDecoder {
            decoder.local.pointee.current = 0
            decoder.local.pointee.path.removeAll(keepingCapacity: true)
            return decoder
        }
        let decoder = JSONDecoderImpl(shared: shared, current: 0, path: [], userInfo: userInfo, cachesContainers: true)
        decoder.local.pointee.path.reserveCapacity(16)
        cachedDecoder = decoder
        return decoder
    }
}

/// One decoder per thread or task: it reuses mutable buffers on every call.
@available(*, unavailable)
extension FastJSONDecoder: Sendable {}
