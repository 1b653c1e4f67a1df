/// An unkeyed container appending elements to one array node. 16 bytes, so it fits the
/// inline buffer of `any UnkeyedEncodingContainer` (no allocation).
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    /// Not retained: kept alive by its ``FastJSONEncoder`` until the encode returns (see `keepAlive`).
    private let encoder: Unmanaged<JSONEncoderImpl>
    private let node: Int32
    private let depth: Int32

    init(impl: JSONEncoderImpl, node: Int, depth: Int) {
        encoder = .passUnretained(impl)
        self.node = Int32(truncatingIfNeeded: node)
        self.depth = Int32(truncatingIfNeeded: depth)
    }

    private var impl: JSONEncoderImpl { encoder.takeUnretainedValue() }
    @inline(__always) private var state: UnsafeMutablePointer<JSONEncodingState> { encoder._withUnsafeGuaranteedRef { $0.state } }

    var codingPath: [any CodingKey] { Array(impl.codingPath.prefix(Int(depth))) }
    var count: Int { Int(state.pointee.nodes[Int(node)].count) }
    private var nextKey: JSONIndexKey { JSONIndexKey(count) }

    @inline(__always) private func element(_ write: (inout JSONByteBuffer) throws(JSONError) -> Void) throws(JSONError) {
        let child = state.pointee.appendChild(of: Int(node), key: nil)
        try state.pointee.scalar(into: child, write)
    }

    mutating func encodeNil() throws { try element { JSONWriter.appendStatic("null", to: &$0) } }
    mutating func encode(_ value: Bool) throws { try element { JSONWriter.appendBool(value, to: &$0) } }
    mutating func encode(_ value: String) throws { try element { JSONWriter.appendString(value, to: &$0) } }
    mutating func encode(_ value: Double) throws { try floatingPoint(value) }
    mutating func encode(_ value: Float) throws { try floatingPoint(value) }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }
    mutating func encode(_ value: Int128) throws { try integer(value) }
    mutating func encode(_ value: UInt128) throws { try integer(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = nextKey
        let child = state.pointee.appendChild(of: Int(node), key: nil)
        try impl.encode(value, into: child, key: key)
    }

    @inline(__always) private func integer<T: FixedWidthInteger>(_ value: T) throws(JSONError) {
        try element { JSONWriter.appendInteger(value, to: &$0) }
    }

    @inline(__always) private func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws(JSONError) {
        guard value.isFinite else { throw impl.nonFinite(value, key: nextKey, depth: Int(depth)) }
        try element { JSONWriter.appendFloatingPoint(value, to: &$0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        let child = state.pointee.appendChild(of: Int(node), key: nil)
        return impl.child(at: child, path: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        let child = state.pointee.appendChild(of: Int(node), key: nil)
        return impl.child(at: child, path: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = nextKey
        let child = state.pointee.appendChild(of: Int(node), key: nil)
        return impl.child(at: child, path: codingPath + [key])
    }
}
