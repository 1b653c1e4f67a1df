/// Encodes `Encodable` values as compact JSON, compatible with Foundation's `JSONEncoder`
/// under its default strategies (same number and string formatting, `/` escaped as `\/`).
///
/// Values are collected in a small tree (so containers may be filled in any order, as Foundation
/// allows) whose nodes and bytes live in arenas the encoder keeps between calls, along with its
/// keyed-container boxes: steady-state encoding allocates nothing but the output's growth.
///
/// ```swift
/// let encoder = FastJSONEncoder()
/// var record: [UInt8] = []
/// try encoder.encode(event, into: &record)
/// ```
///
/// Object members are written in the order they were first encoded; encoding a key again
/// replaces its value, as in Foundation (which orders members by hash instead).
///
/// - Important: Not thread-safe. Use one encoder per thread or task.
public final class FastJSONEncoder {
    /// Passed to `encode(to:)` as `encoder.userInfo`. Default: empty.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:] {
        didSet {
            cachedEncoder = nil
            nested = nil
        }
    }

    private let state: UnsafeMutablePointer<JSONEncodingState>
    private var cachedEncoder: JSONEncoderImpl?

    public init() {
        state = .allocate(capacity: 1)
        state.initialize(to: JSONEncodingState())
    }

    deinit {
        state.pointee.deallocate()
        state.deinitialize(count: 1).deallocate()
    }

    /// Appends the compact JSON for `value` to `buffer`.
    ///
    /// - Parameters:
    ///   - value: The value to encode; scalars are allowed at the top level.
    ///   - buffer: Receives the JSON; existing contents are kept. Unchanged if encoding fails.
    /// - Throws: ``JSONError`` with code ``JSONError/Code/invalidValue`` for NaN or infinite
    ///   numbers, a top-level value that encodes nothing, or misuse of containers that
    ///   Foundation would trap on; ``JSONError/Code/underlying`` if the value's own `encode(to:)` threw.
    public func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws(JSONError) {
        state.pointee.reset()
        let encoder = makeEncoder()
        defer {
            if !state.pointee.keepAlive.isEmpty { state.pointee.keepAlive.removeAll() }
        }
        do {
            try encoder.encodeHere(value)
        } catch {
            throw JSONError(translating: error, offset: nil)
        }
        if let misuse = state.pointee.misuse { throw misuse }
        guard state.pointee.nodes[0].kind != .pending else {
            throw JSONError(code: .invalidValue, offset: nil, reason: "top-level \(T.self) did not encode any values")
        }
        state.pointee.write(0)
        let output = state.pointee.output
        buffer.append(contentsOf: UnsafeBufferPointer(start: output.base, count: output.count))
    }

    /// Appends the compact JSON of a ``FastJSONEncodable`` value, written by its own
    /// ``FastJSONEncodable/encode(json:)`` rather than through `Codable`'s containers.
    ///
    /// - Throws: ``JSONError/Code/invalidValue`` when the value writes no value or more than one,
    ///   or whatever its `encode(json:)` throws. `buffer` is unchanged if encoding fails.
    public func encode<T: FastJSONEncodable>(_ value: T, into buffer: inout [UInt8]) throws(JSONError) {
        let output = state.pointer(to: \.output)!
        output.pointee.removeAll()
        var json = JSONOutput(output, .passUnretained(self))
        try value.encode(json: &json)
        try json.finish(T.self)
        buffer.append(contentsOf: UnsafeBufferPointer(start: output.pointee.base, count: output.pointee.count))
    }

    /// Returns the compact JSON of a ``FastJSONEncodable`` value; see ``encode(_:into:)-(FastJSONEncodable,_)``.
    public func encode<T: FastJSONEncodable>(_ value: T) throws(JSONError) -> [UInt8] {
        var buffer: [UInt8] = []
        try encode(value, into: &buffer)
        return buffer
    }

    /// Returns the compact JSON for `value`; see ``encode(_:into:)``.
    public func encode<T: Encodable>(_ value: T) throws(JSONError) -> [UInt8] {
        var buffer: [UInt8] = []
        try encode(value, into: &buffer)
        return buffer
    }

    /// A second encoder for the `Codable` members of a value that writes itself
    /// (`JSONOutput.encode(codable:)`): this one's output buffer is in use meanwhile.
    private var nested: FastJSONEncoder?

    func encodeNested<T: Encodable>(_ value: T) throws(JSONError) -> [UInt8] {
        if let nested { return try nested.encode(value) }
        let made = FastJSONEncoder()
        made.userInfo = userInfo
        nested = made
        return try made.encode(value)
    }

    /// Reuses the top-level encoder unless a previous `encode(to:)` kept a reference to it.
    private func makeEncoder() -> JSONEncoderImpl {
        if isKnownUniquelyReferenced(&cachedEncoder), let encoder = cachedEncoder {
            encoder.local.pointee.node = 0
            encoder.local.pointee.path.removeAll(keepingCapacity: true)
            return encoder
        }
        let encoder = JSONEncoderImpl(state: state, node: 0, path: [], userInfo: userInfo, cachesContainers: true)
        encoder.local.pointee.path.reserveCapacity(16)
        cachedEncoder = encoder
        return encoder
    }
}

/// One encoder per thread or task: it reuses mutable buffers on every call.
@available(*, unavailable)
extension FastJSONEncoder: Sendable {}
