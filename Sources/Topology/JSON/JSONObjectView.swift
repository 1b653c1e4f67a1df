/// A JSON object being decoded, read member by member: `try object["price"].int64()`.
///
/// Keys are `StaticString`s, compared byte for byte with the input, so a lookup makes no String.
/// Members read in the order they appear cost one comparison each. Duplicate keys resolve to the
/// first occurrence, as in Foundation's `JSONDecoder`.
///
/// - Important: Valid only during the ``FastJSONDecodable/init(json:)`` call it came from.
public struct JSONObjectView {
    @usableFromInline let reader: JSONTapeReader
    @usableFromInline let index: Int

    @usableFromInline init(reader: JSONTapeReader, index: Int) {
        self.reader = reader
        self.index = index
    }

    /// The number of members.
    public var count: Int { Int(reader.tape[index].count) }

    /// The value for `key`.
    /// - Throws: ``JSONError/Code/keyNotFound`` when the object has no such member.
    @inlinable @inline(__always) public subscript(_ key: StaticString) -> JSONView {
        get throws(JSONError) {
            guard let value = valueIndex(key) else { throw keyNotFound(key) }
            return JSONView(reader: reader, index: value)
        }
    }

    /// The value for `key`, or `nil` when the member is missing or `null` (`decodeIfPresent`'s rule).
    @inlinable @inline(__always) public func ifPresent(_ key: StaticString) -> JSONView? {
        guard let value = valueIndex(key), reader.kind(at: value) != .null else { return nil }
        return JSONView(reader: reader, index: value)
    }

    /// Whether the object has a member named `key` (even if `null`).
    public func contains(_ key: StaticString) -> Bool { valueIndex(key) != nil }

    @inlinable @inline(__always) func valueIndex(_ key: StaticString) -> Int? {
        reader.valueIndex(forUTF8: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), in: index)
    }

    @usableFromInline func keyNotFound(_ key: StaticString) -> JSONError {
        JSONError(code: .keyNotFound, offset: reader.offset(of: index), codingPath: reader.path(to: index), reason: "key '\(key)' not found")
    }
}
