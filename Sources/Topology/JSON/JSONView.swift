/// One value of the JSON being decoded, handed to ``FastJSONDecodable/init(json:)``.
///
/// A view of the decoder's tape: reading a number or a key allocates nothing; `string()` allocates
/// only for strings longer than 15 UTF-8 bytes, as any Swift String does. Errors name the byte
/// offset and the coding path, never the input's content (see ``JSONError``).
///
/// - Important: Valid only during the `init(json:)` call that received it.
public struct JSONView {
    @usableFromInline let reader: JSONTapeReader
    /// The value's tape index; also all an error needs to name its path (see `path(to:)`).
    @usableFromInline let index: Int

    @usableFromInline init(reader: JSONTapeReader, index: Int) {
        self.reader = reader
        self.index = index
    }

    /// Whether the value is `null`.
    public var isNull: Bool { reader.kind(at: index) == .null }

    /// The value as an `Int64`; a number with a fraction or exponent is accepted when it is an
    /// exact integer in range, as Foundation does.
    @inline(__always) public func int64() throws(JSONError) -> Int64 {
        do { return try reader.decodeInteger(Int64.self, at: index) } catch { throw located(error) }
    }

    /// The value as an `Int`.
    @inline(__always) public func int() throws(JSONError) -> Int {
        do { return try reader.decodeInteger(Int.self, at: index) } catch { throw located(error) }
    }

    /// The value as an integer of type `T`. (Generic, so slower across modules than ``int()`` and
    /// ``int64()``, whose parsing is specialised.)
    @inline(__always) public func integer<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(JSONError) -> T {
        do { return try reader.decodeInteger(type, at: index) } catch { throw located(error) }
    }

    /// The value as a `Double`.
    @inline(__always) public func double() throws(JSONError) -> Double {
        do { return try reader.decodeDouble(at: index) } catch { throw located(error) }
    }

    /// The value as a `Bool`.
    @inline(__always) public func bool() throws(JSONError) -> Bool {
        do { return try reader.decodeBool(at: index) } catch { throw located(error) }
    }

    /// The value as a `String`, escapes resolved.
    @inlinable @inline(__always) public func string() throws(JSONError) -> String {
        do { return try reader.decodeString(at: index) } catch { throw located(error) }
    }

    /// Lends the string's UTF-8 bytes, escapes resolved, to `body` without making a String (for
    /// values parsed further, such as timestamps). The bytes are valid only inside `body`.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> R) throws(JSONError) -> R {
        let token = reader.tape[index]
        guard token.kind == .string else { throw located(reader.mismatch(String.self, at: index)) }
        let start = reader.input + Int(token.start)
        do {
            if token.flags & JSONToken.escaped == 0 {
                return try body(UnsafeBufferPointer(start: start, count: Int(token.length)))
            }
            let scratch = reader.shared.pointee.scratch
            let length = JSONStringDecoding.unescape(start, Int(token.length), into: scratch)
            return try body(UnsafeBufferPointer(start: scratch, count: length))
        } catch {
            throw located(error)
        }
    }

    /// The value as an object, whose members are read by key.
    @inlinable @inline(__always) public func object() throws(JSONError) -> JSONObjectView {
        guard reader.kind(at: index) == .object else { throw located(reader.mismatch([String: Any].self, at: index)) }
        return JSONObjectView(reader: reader, index: index)
    }

    /// Calls `body` with each element of the array, in order.
    public func forEachElement(_ body: (JSONView) throws(JSONError) -> Void) throws(JSONError) {
        let tape = reader.tape
        guard tape[index].kind == .array else { throw located(reader.mismatch([Any].self, at: index)) }
        let end = Int(tape[index].length)
        var element = index &+ 1
        while element < end {
            try body(JSONView(reader: reader, index: element))
            element = tape[element].next(after: element)
        }
    }

    /// The value decoded as `T` through its own ``FastJSONDecodable/init(json:)``.
    @inline(__always) public func decode<T: FastJSONDecodable>(_ type: T.Type = T.self) throws(JSONError) -> T {
        try T(json: self)
    }

    /// The value decoded through `Codable` (its `init(from:)`), for members whose types do not
    /// read themselves: `[String: JSONValue]`, `Date`, arrays of `Codable` records.
    public func decode<T: Decodable>(codable type: T.Type = T.self) throws(JSONError) -> T {
        guard let owner = reader.shared.pointee.owner?.takeUnretainedValue() else {
            preconditionFailure("JSONView without its FastJSONDecoder")  // set in its init
        }
        let decoder = owner.makeDecoder()
        decoder.local.pointee.current = index
        do {
            return try decoder.decode(type)
        } catch {
            // The Codable decoder's paths are relative to this value.
            let relative = JSONError(translating: error, offset: nil)
            throw relative.at(JSONError.join(reader.path(to: index), relative.codingPath))
        }
    }

    /// An error of `code` at this value, for checks `init(json:)` makes itself (an unknown enum
    /// case, a value out of its domain). `reason` must not quote the input.
    public func error(_ code: JSONError.Code, _ reason: String) -> JSONError {
        located(reader.error(code, reason, at: index))
    }

    /// `error`, found at this value, with the value's path.
    @usableFromInline func located(_ error: JSONError) -> JSONError { reader.located(error, at: index) }
}
