/// The decoder is its own single-value container (no allocation), like Foundation's.
extension JSONDecoderImpl {
    func decodeNil() -> Bool { tape[current].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try read { r, i throws(JSONError) in try r.decodeBool(at: i) } }
    func decode(_ type: String.Type) throws -> String { try read { r, i throws(JSONError) in try r.decodeString(at: i) } }
    func decode(_ type: Double.Type) throws -> Double { try read { r, i throws(JSONError) in try r.decodeDouble(at: i) } }
    func decode(_ type: Float.Type) throws -> Float { try read { r, i throws(JSONError) in try r.decodeFloat(at: i) } }
    func decode(_ type: Int.Type) throws -> Int { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int8.Type) throws -> Int8 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int16.Type) throws -> Int16 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int32.Type) throws -> Int32 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int64.Type) throws -> Int64 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt.Type) throws -> UInt { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: Int128.Type) throws -> Int128 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try read { r, i throws(JSONError) in try r.decodeInteger(type, at: i) } }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // A single-value container decodes the value in place: same index, same path.
        if Self.isFoundationValue(type) { return try read { r, i throws(JSONError) in try r.unwrapFoundationValue(type, at: i) } }
        return try T(from: self)
    }
}
