/// The decoder is its own single-value container (no allocation), like Foundation's.
extension JSONDecoderImpl {
    func decodeNil() -> Bool { tape[current].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeBool(at: current, key: nil) }
    func decode(_ type: String.Type) throws -> String { try decodeString(at: current, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try decodeDouble(at: current, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try decodeFloat(at: current, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type, at: current, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type, at: current, key: nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // A single-value container decodes the value in place: same index, same path.
        if let special = try unwrapFoundationValue(type, at: current, key: nil) { return special }
        return try T(from: self)
    }
}
