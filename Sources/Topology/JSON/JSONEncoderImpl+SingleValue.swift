/// The encoder is its own single-value container, writing into its current node.
extension JSONEncoderImpl {
    /// Checks that the node is still empty (Foundation traps on a second value) and places
    /// the text that follows right after the node's key.
    private func begin() -> Int {
        let node = node
        if state.pointee.nodes[node].kind != .pending { misuse("encoded a second value into a single value container") }
        state.pointee.beginScalar(node)
        return node
    }

    func encodeNil() throws { try scalar(into: begin()) { JSONWriter.appendStatic("null", to: &$0) } }
    func encode(_ value: Bool) throws { try scalar(into: begin()) { JSONWriter.appendBool(value, to: &$0) } }
    func encode(_ value: String) throws { try scalar(into: begin()) { JSONWriter.appendString(value, to: &$0) } }
    func encode(_ value: Double) throws { try floatingPoint(value) }
    func encode(_ value: Float) throws { try floatingPoint(value) }
    func encode(_ value: Int) throws { try integer(value) }
    func encode(_ value: Int8) throws { try integer(value) }
    func encode(_ value: Int16) throws { try integer(value) }
    func encode(_ value: Int32) throws { try integer(value) }
    func encode(_ value: Int64) throws { try integer(value) }
    func encode(_ value: UInt) throws { try integer(value) }
    func encode(_ value: UInt8) throws { try integer(value) }
    func encode(_ value: UInt16) throws { try integer(value) }
    func encode(_ value: UInt32) throws { try integer(value) }
    func encode(_ value: UInt64) throws { try integer(value) }
    func encode(_ value: Int128) throws { try integer(value) }
    func encode(_ value: UInt128) throws { try integer(value) }
    func encode<T: Encodable>(_ value: T) throws {
        if state.pointee.nodes[node].kind != .pending { misuse("encoded a second value into a single value container") }
        try encodeHere(value)
    }

    private func integer<T: FixedWidthInteger>(_ value: T) throws(JSONError) {
        try scalar(into: begin()) { JSONWriter.appendInteger(value, to: &$0) }
    }

    private func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws(JSONError) {
        guard value.isFinite else { throw nonFinite(value, key: nil) }
        try scalar(into: begin()) { JSONWriter.appendFloatingPoint(value, to: &$0) }
    }
}
