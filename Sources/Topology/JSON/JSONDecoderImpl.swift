/// State shared by every `Decoder` of one top-level decode: the input, its tape and scratch
/// space. The pointers are borrowed from ``FastJSONDecoder`` and valid only during its
/// `decode` call. Held behind a pointer so the hot path pays no dynamic exclusivity checks.
struct JSONDecodingShared {
    var input: UnsafePointer<UInt8>
    var tape: UnsafeMutablePointer<JSONToken>
    /// At least as large as the input, so any string can be unescaped into it.
    var scratch: UnsafeMutablePointer<UInt8>
    /// Where the last successful key lookup ended: in-order decoding then finds each key
    /// on the first comparison.
    var hintObject = -1
    var hintKey = 0
    /// Index of the `null` sentinel token the decoder appends after the scanned tokens.
    var nullIndex = 0
}

/// The `Decoder` handed to `init(from:)`. One instance is reused for the whole tree: decoding
/// a nested value moves `current` and pushes a key, then restores both (as Foundation does).
final class JSONDecoderImpl: Decoder, SingleValueDecodingContainer {
    struct Local {
        /// Tape index of the value this decoder stands for.
        var current: Int
        var path: [any CodingKey]
    }

    let shared: UnsafeMutablePointer<JSONDecodingShared>
    let local: UnsafeMutablePointer<Local>
    let userInfo: [CodingUserInfoKey: Any]

    init(shared: UnsafeMutablePointer<JSONDecodingShared>, current: Int, path: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.shared = shared
        self.userInfo = userInfo
        local = .allocate(capacity: 1)
        local.initialize(to: Local(current: current, path: path))
    }

    deinit { local.deinitialize(count: 1).deallocate() }

    var codingPath: [any CodingKey] { local.pointee.path }
    var current: Int { local.pointee.current }
    @inline(__always) var tape: UnsafeMutablePointer<JSONToken> { shared.pointee.tape }
    @inline(__always) var input: UnsafePointer<UInt8> { shared.pointee.input }

    /// A separate decoder for `index` at `path` (for `superDecoder` and nested containers,
    /// which must keep their own coding path).
    func child(at index: Int, path: [any CodingKey]) -> JSONDecoderImpl {
        JSONDecoderImpl(shared: shared, current: index, path: path, userInfo: userInfo)
    }

    /// A `null` token past the end of the tape, for `superDecoder` of a missing key.
    var nullIndex: Int { shared.pointee.nullIndex }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let index = current
        guard tape[index].kind == .object else { throw mismatch([String: Any].self, at: index) }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(impl: self, object: index, depth: local.pointee.path.count))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let index = current
        guard tape[index].kind == .array else { throw mismatch([Any].self, at: index) }
        return JSONUnkeyedDecodingContainer(impl: self, array: index, depth: local.pointee.path.count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes a non-primitive value at `index`, with `key` appended to the coding path.
    func unwrap<T: Decodable>(_ type: T.Type, at index: Int, key: any CodingKey) throws -> T {
        if let special = try unwrapFoundationValue(type, at: index, key: key) { return special }
        let saved = local.pointee.current
        local.pointee.current = index
        local.pointee.path.append(key)
        defer {
            local.pointee.path.removeLast()
            local.pointee.current = saved
        }
        return try T(from: self)
    }

    /// The offset reported for a token: its first byte (the quote, for strings).
    func offset(of index: Int) -> Int {
        let token = tape[index]
        return Int(token.start) - (token.kind == .string ? 1 : 0)
    }

    /// `valueNotFound` for null, `typeMismatch` otherwise, as Foundation reports them.
    func mismatch(_ type: Any.Type, at index: Int, key: (any CodingKey)? = nil) -> JSONError {
        let kind = tape[index].kind
        let path = JSONError.render(local.pointee.path, appending: key)
        if kind == .null {
            return JSONError(code: .valueNotFound, offset: offset(of: index), codingPath: path, reason: "expected a value of type \(type) but found null")
        }
        return JSONError(code: .typeMismatch, offset: offset(of: index), codingPath: path, reason: "expected to decode \(type) but found \(kind.name) instead")
    }

    func error(_ code: JSONError.Code, _ reason: String, at index: Int, key: (any CodingKey)? = nil) -> JSONError {
        JSONError(code: code, offset: offset(of: index), codingPath: JSONError.render(local.pointee.path, appending: key), reason: reason)
    }
}
