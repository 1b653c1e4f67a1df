/// A keyed container writing members into one object node. Plain data (no reference
/// counting when `KeyedEncodingContainer`'s box copies it on every call).
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    private let state: UnsafeMutablePointer<JSONEncodingState>
    /// Not retained: kept alive by its ``FastJSONEncoder`` until the encode returns (see `keepAlive`).
    private let encoder: Unmanaged<JSONEncoderImpl>
    /// The object node, unless `slot` holds it (for a cached container).
    private let fixedNode: Int
    private let slot: UnsafeMutablePointer<Int>?
    /// Cached renderings (`"key":`) of the keys, for cached containers over small plain-data keys.
    private let keyBytes: JSONKeyBytes?
    /// Length of the encoder's coding path when this container was made.
    let depth: Int

    init(impl: JSONEncoderImpl, node: Int, slot: UnsafeMutablePointer<Int>?, keyBytes: JSONKeyBytes?, depth: Int) {
        state = impl.state
        encoder = .passUnretained(impl)
        fixedNode = node
        self.slot = slot
        self.keyBytes = keyBytes
        self.depth = depth
    }

    /// Appends a member node for `key` to this container's object.
    @inline(__always) private func appendMember(_ key: Key) -> Int {
        if let keyBytes { return state.pointee.appendChild(of: node, renderedKey: keyBytes.bytes(for: key)) }
        return state.pointee.appendChild(of: node, key: key.stringValue)
    }

    private var impl: JSONEncoderImpl { encoder.takeUnretainedValue() }
    @inline(__always) private var node: Int { slot?.pointee ?? fixedNode }

    var codingPath: [any CodingKey] { Array(impl.codingPath.prefix(depth)) }

    /// Appends a member for `key` and writes its scalar text right after the key.
    @inline(__always) private func member(_ key: Key, _ write: (inout JSONByteBuffer) throws(JSONError) -> Void) throws(JSONError) {
        let child = appendMember(key)
        try state.pointee.scalar(into: child, write)
    }

    mutating func encodeNil(forKey key: Key) throws { try member(key) { JSONWriter.appendStatic("null", to: &$0) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try member(key) { JSONWriter.appendBool(value, to: &$0) } }
    mutating func encode(_ value: String, forKey key: Key) throws { try member(key) { JSONWriter.appendString(value, to: &$0) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try floatingPoint(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try floatingPoint(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try integer(value, key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = appendMember(key)
        try impl.encode(value, into: child, key: key)
    }

    @inline(__always) private func integer<T: FixedWidthInteger>(_ value: T, _ key: Key) throws(JSONError) {
        try member(key) { JSONWriter.appendInteger(value, to: &$0) }
    }

    @inline(__always) private func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, _ key: Key) throws(JSONError) {
        guard value.isFinite else { throw impl.nonFinite(value, key: key, depth: depth) }
        try member(key) { JSONWriter.appendFloatingPoint(value, to: &$0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = appendMember(key)
        return impl.child(at: child, path: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = appendMember(key)
        return impl.child(at: child, path: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONStringKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: some CodingKey) -> any Encoder {
        let child = state.pointee.appendChild(of: node, key: key.stringValue)
        return impl.child(at: child, path: codingPath + [key])
    }
}
