/// State shared by every `Decoder` of one top-level decode: the input, its tape and scratch
/// space. The pointers are borrowed from ``FastJSONDecoder`` and valid only during its
/// `decode` call. Held behind a pointer so the hot path pays no dynamic exclusivity checks.
@usableFromInline struct JSONDecodingShared {
    @usableFromInline var input: UnsafePointer<UInt8>
    @usableFromInline var tape: UnsafeMutablePointer<JSONToken>
    /// At least as large as the input, so any string can be unescaped into it.
    var scratch: UnsafeMutablePointer<UInt8>
    /// `SmallASCIIString.isAvailable`, read once here: as a lazy global it is a call per string.
    @usableFromInline let smallStrings = SmallASCIIString.isAvailable
    /// Index of the `null` sentinel token the decoder appends after the scanned tokens.
    var nullIndex = 0
    /// The decoder these buffers belong to, for members of hand-written readers that go through
    /// `Codable` (`JSONView.decode(codable:)`). Not retained: it owns this struct.
    var owner: Unmanaged<FastJSONDecoder>?
    /// Decoders made for nested containers and `superDecoder`. Containers reference their
    /// decoder without retaining it (so that copying them is free); this keeps those alive
    /// until the top-level decode returns.
    var keepAlive: [JSONDecoderImpl] = []
}

/// Reads the tape of the current decode. A single pointer, so containers can hold it and
/// copy it with no reference counting. Errors it throws carry no coding path: the caller
/// (a container or decoder) knows the path and sets it, on the error path only.
@usableFromInline struct JSONTapeReader {
    @usableFromInline let shared: UnsafeMutablePointer<JSONDecodingShared>

    @inlinable @inline(__always) var tape: UnsafeMutablePointer<JSONToken> { shared.pointee.tape }
    @inlinable @inline(__always) var input: UnsafePointer<UInt8> { shared.pointee.input }
    @inlinable @inline(__always) func kind(at index: Int) -> JSONToken.Kind { tape[index].kind }

    /// The offset reported for a token: its first byte (the quote, for strings).
    func offset(of index: Int) -> Int {
        let token = tape[index]
        return Int(token.start) - (token.kind == .string ? 1 : 0)
    }

    /// `valueNotFound` for null, `typeMismatch` otherwise, as Foundation reports them.
    @usableFromInline func mismatch(_ type: Any.Type, at index: Int) -> JSONError {
        let kind = tape[index].kind
        if kind == .null {
            return JSONError(code: .valueNotFound, offset: offset(of: index), reason: "expected a value of type \(type) but found null")
        }
        return JSONError(code: .typeMismatch, offset: offset(of: index), reason: "expected to decode \(type) but found \(kind.name) instead")
    }

    func error(_ code: JSONError.Code, _ reason: String, at index: Int) -> JSONError {
        JSONError(code: code, offset: offset(of: index), reason: reason)
    }
}
