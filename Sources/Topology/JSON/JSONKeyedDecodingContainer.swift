/// A keyed container over one object of the tape. A plain-data struct, so
/// `KeyedDecodingContainer`'s box is the only allocation per object and copying the container
/// (which the box does on every call) costs no reference counting.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: JSONTapeReader
    /// Not retained: kept alive by its ``FastJSONDecoder`` until the decode returns (see `keepAlive`).
    private let decoder: Unmanaged<JSONDecoderImpl>
    /// Tape index of the object, unless `slot` holds it (for a cached container).
    private let fixedObject: Int
    private let slot: UnsafeMutablePointer<Int>?
    /// Length of the decoder's coding path when this container was made.
    let depth: Int

    init(impl: JSONDecoderImpl, object: Int, slot: UnsafeMutablePointer<Int>?, depth: Int) {
        reader = impl.reader
        decoder = .passUnretained(impl)
        fixedObject = object
        self.slot = slot
        self.depth = depth
    }

    /// The tape index of the value for `key`, or `nil`. (A `JSONKeyBytes` table, as the encoder
    /// uses, measured no faster here than `stringValue`, so lookups stay simple.)
    @inline(__always) private func index(of key: Key) -> Int? { reader.valueIndex(for: key, in: object) }

    /// Tape index of the object.
    @inline(__always) var object: Int { slot?.pointee ?? fixedObject }

    private var impl: JSONDecoderImpl { decoder.takeUnretainedValue() }

    var codingPath: [any CodingKey] { Array(impl.codingPath.prefix(depth)) }

    var allKeys: [Key] {
        let tape = reader.tape
        let token = tape[object]
        var keys: [Key] = []
        keys.reserveCapacity(Int(token.count))
        var seen: Set<String>? = token.flags & JSONToken.mayHaveDuplicateKeys != 0 ? [] : nil
        var k = object + 1
        while k < Int(token.length) {
            if let name = try? reader.decodeString(at: k), seen?.insert(name).inserted ?? true,
                let key = Key(stringValue: name)
            {
                keys.append(key)
            }
            k = tape[k + 1].next(after: k + 1)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { index(of: key) != nil }

    @inline(__always) private func value(for key: Key) throws(JSONError) -> Int {
        if let index = index(of: key) { return index }
        throw JSONError(
            code: .keyNotFound, offset: reader.offset(of: object), codingPath: JSONError.render(codingPath),
            reason: "key '\(key.stringValue)' not found")
    }

    /// The value's index, or `nil` when the key is missing or its value is null.
    @inline(__always) private func presentValue(for key: Key) -> Int? {
        guard let index = index(of: key), reader.tape[index].kind != .null else { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { reader.tape[try value(for: key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(key) { r, i throws(JSONError) in try r.decodeBool(at: i) } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(key) { r, i throws(JSONError) in try r.decodeString(at: i) } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(key) { r, i throws(JSONError) in try r.decodeDouble(at: i) } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try read(key) { r, i throws(JSONError) in try r.decodeFloat(at: i) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try read(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try impl.unwrap(type, at: value(for: key), key: key) }

    // One lookup instead of the default's three (contains, decodeNil, decode).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try readIfPresent(key) { r, i throws(JSONError) in try r.decodeBool(at: i) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try readIfPresent(key) { r, i throws(JSONError) in try r.decodeString(at: i) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try readIfPresent(key) { r, i throws(JSONError) in try r.decodeDouble(at: i) }
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try readIfPresent(key) { r, i throws(JSONError) in try r.decodeFloat(at: i) }
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
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { try integerIfPresent(type, key) }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { try integerIfPresent(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = presentValue(for: key) else { return nil }
        return try impl.unwrap(type, at: index, key: key)
    }

    @inline(__always) private func integerIfPresent<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws(JSONError) -> T? {
        try readIfPresent(key) { r, i throws(JSONError) in try r.decodeInteger(type, at: i) }
    }

    /// Reads the value for `key` with `body`, putting the key into the path of any error.
    @inline(__always) private func read<T>(_ key: Key, _ body: (JSONTapeReader, Int) throws(JSONError) -> T) throws(JSONError) -> T {
        let index = try value(for: key)
        do {
            return try body(reader, index)
        } catch {
            throw error.at(JSONError.render(codingPath, appending: key))
        }
    }

    /// Like `read`, but `nil` when the key is missing or its value is null.
    @inline(__always) private func readIfPresent<T>(_ key: Key, _ body: (JSONTapeReader, Int) throws(JSONError) -> T) throws(JSONError) -> T? {
        guard let index = presentValue(for: key) else { return nil }
        do {
            return try body(reader, index)
        } catch {
            throw error.at(JSONError.render(codingPath, appending: key))
        }
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
        let index = name.withUTF8 { reader.find($0, in: object) } ?? reader.shared.pointee.nullIndex
        return impl.child(at: index, path: codingPath + [key])
    }
}
