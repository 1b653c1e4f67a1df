/// An unkeyed container over one array of the tape.
///
/// Kept to 24 bytes (one pointer and four 32-bit fields) so that it fits the inline buffer
/// of `any UnkeyedDecodingContainer` and costs no allocation, and free of reference counting.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    /// Not retained: kept alive by its ``FastJSONDecoder`` until the decode returns (see `keepAlive`).
    private let decoder: Unmanaged<JSONDecoderImpl>
    private let array: Int32
    private let depth: Int32
    /// Tape index of the next element.
    private var cursor: Int32
    private var position: Int32

    init(impl: JSONDecoderImpl, array: Int, depth: Int) {
        decoder = .passUnretained(impl)
        self.array = Int32(truncatingIfNeeded: array)
        self.depth = Int32(truncatingIfNeeded: depth)
        cursor = Int32(truncatingIfNeeded: array + 1)
        position = 0
    }

    private var impl: JSONDecoderImpl { decoder.takeUnretainedValue() }
    @inline(__always) private var reader: JSONTapeReader { decoder._withUnsafeGuaranteedRef { $0.reader } }

    var codingPath: [any CodingKey] { Array(impl.codingPath.prefix(Int(depth))) }
    var count: Int? { Int(reader.tape[Int(array)].count) }
    var isAtEnd: Bool { UInt32(position) >= reader.tape[Int(array)].count }
    var currentIndex: Int { Int(position) }

    /// The index of the next element, or `valueNotFound` at the end (Foundation's wording).
    @inline(__always) private func next(_ type: Any.Type) throws(JSONError) -> Int {
        guard !isAtEnd else {
            throw JSONError(
                code: .valueNotFound, offset: reader.offset(of: Int(array)), codingPath: JSONError.render(codingPath, appending: key),
                reason: "unkeyed container is at end, expected a value of type \(type)")
        }
        return Int(cursor)
    }

    private var key: JSONIndexKey { JSONIndexKey(Int(position)) }

    @inline(__always) private mutating func advance() {
        cursor = Int32(truncatingIfNeeded: reader.tape[Int(cursor)].next(after: Int(cursor)))
        position &+= 1
    }

    mutating func decodeNil() throws -> Bool {
        guard reader.tape[try next(Never?.self)].kind == .null else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar { r, i throws(JSONError) in try r.decodeBool(at: i) } }
    mutating func decode(_ type: String.Type) throws -> String { try scalar { r, i throws(JSONError) in try r.decodeString(at: i) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar { r, i throws(JSONError) in try r.decodeDouble(at: i) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar { r, i throws(JSONError) in try r.decodeFloat(at: i) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try integer(type) }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try integer(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = try next(type)
        let value = try impl.unwrap(type, at: index, key: key)
        advance()
        return value
    }

    @inline(__always) private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(JSONError) -> T {
        try scalar { r, i throws(JSONError) in try r.decodeInteger(type, at: i) }
    }

    /// Reads the next element with `read`; advances only on success, as Foundation does.
    @inline(__always) private mutating func scalar<T>(_ read: (JSONTapeReader, Int) throws(JSONError) -> T) throws(JSONError) -> T {
        let index = try next(T.self)
        let value: T
        do {
            value = try read(reader, index)
        } catch {
            throw error.at(JSONError.render(codingPath, appending: key))
        }
        advance()
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try impl.child(at: next(type), path: codingPath + [key]).container(keyedBy: type)
        advance()
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try impl.child(at: next([Any].self), path: codingPath + [key]).unkeyedContainer()
        advance()
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try impl.child(at: next(Any.self), path: codingPath + [key])
        advance()
        return decoder
    }
}
