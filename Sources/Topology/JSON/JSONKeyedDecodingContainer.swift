/// A keyed container over one object of the tape. A struct holding one reference, so
/// `KeyedDecodingContainer`'s box is the only allocation per object.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let impl: JSONDecoderImpl
    /// Tape index of the object.
    let object: Int
    /// Length of `impl`'s coding path when this container was made.
    let depth: Int

    var codingPath: [any CodingKey] { Array(impl.codingPath.prefix(depth)) }

    var allKeys: [Key] {
        let tape = impl.tape
        let token = tape[object]
        var keys: [Key] = []
        keys.reserveCapacity(Int(token.count))
        var seen: Set<String>? = token.flags & JSONToken.mayHaveDuplicateKeys != 0 ? [] : nil
        var k = object + 1
        while k < Int(token.length) {
            if let name = try? impl.decodeString(at: k, key: nil), seen?.insert(name).inserted ?? true,
                let key = Key(stringValue: name)
            {
                keys.append(key)
            }
            k = tape[k + 1].next(after: k + 1)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { impl.valueIndex(for: key, in: object) != nil }

    @inline(__always) private func value(for key: Key) throws(JSONError) -> Int {
        if let index = impl.valueIndex(for: key, in: object) { return index }
        throw JSONError(
            code: .keyNotFound, offset: impl.offset(of: object), codingPath: JSONError.render(codingPath),
            reason: "key '\(key.stringValue)' not found")
    }

    /// The value's index, or `nil` when the key is missing or its value is null.
    @inline(__always) private func presentValue(for key: Key) -> Int? {
        guard let index = impl.valueIndex(for: key, in: object), impl.tape[index].kind != .null else { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { impl.tape[try value(for: key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try impl.decodeBool(at: value(for: key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try impl.decodeString(at: value(for: key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try impl.decodeDouble(at: value(for: key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try impl.decodeFloat(at: value(for: key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try impl.decodeInteger(type, at: value(for: key), key: key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try impl.unwrap(type, at: value(for: key), key: key) }

    // One lookup instead of the default's three (contains, decodeNil, decode).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try presentValue(for: key).map { i throws(JSONError) in try impl.decodeBool(at: i, key: key) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try presentValue(for: key).map { i throws(JSONError) in try impl.decodeString(at: i, key: key) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try presentValue(for: key).map { i throws(JSONError) in try impl.decodeDouble(at: i, key: key) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try presentValue(for: key).map { i throws(JSONError) in try impl.decodeFloat(at: i, key: key) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integerIfPresent(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = presentValue(for: key) else { return nil }
        return try impl.unwrap(type, at: index, key: key)
    }

    @inline(__always) private func integerIfPresent<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws(JSONError) -> T? {
        guard let index = presentValue(for: key) else { return nil }
        return try impl.decodeInteger(type, at: index, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try impl.child(at: value(for: key), path: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try impl.child(at: value(for: key), path: codingPath + [key]).unkeyedContainer()
    }

    /// Foundation hands out a decoder for `null` when the key is missing, so do we.
    func superDecoder() throws -> any Decoder { superDecoder(named: JSONStringKey("super")) }
    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(named: key) }

    private func superDecoder(named key: some CodingKey) -> JSONDecoderImpl {
        var name = key.stringValue
        let index = name.withUTF8 { impl.find($0, in: object) } ?? impl.nullIndex
        return impl.child(at: index, path: codingPath + [key])
    }
}
