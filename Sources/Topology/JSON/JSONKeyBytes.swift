/// The rendering of `stringValue` for every value of a key type whose values are plain data of
/// at most one byte: synthesized `CodingKeys` enums, nearly always. The encoder's cached
/// containers keep each key rendered as `"key":`, so a member costs one copy instead of
/// `stringValue` plus escaping.
///
/// Equal bits mean equal values for such types, and `stringValue` is a function of the value,
/// so a key's bits identify its bytes.
struct JSONKeyBytes {
    private let starts: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    private let counts: UnsafeMutablePointer<Int>

    /// A table for `Key`, or `nil` when its values are larger than a byte or hold references.
    static func make<Key: CodingKey>(for type: Key.Type) -> JSONKeyBytes? {
        guard _isPOD(Key.self), MemoryLayout<Key>.size <= 1 else { return nil }
        return JSONKeyBytes()
    }

    private init() {
        starts = .allocate(capacity: 256)
        starts.initialize(repeating: nil, count: 256)
        counts = .allocate(capacity: 256)
        counts.initialize(repeating: 0, count: 256)
    }

    func deallocate() {
        for i in 0..<256 { starts[i]?.deallocate() }
        starts.deallocate()
        counts.deallocate()
    }

    /// The rendering of `key`, made on first use.
    @inline(__always) func bytes<Key: CodingKey>(for key: Key) -> UnsafeBufferPointer<UInt8> {
        let slot = MemoryLayout<Key>.size == 0 ? 0 : Int(withUnsafeBytes(of: key) { $0[0] })
        if let start = starts[slot] { return UnsafeBufferPointer(start: start, count: counts[slot]) }
        return fill(slot, key.stringValue)
    }

    /// Renders `"name":` once into memory this table owns.
    private func fill(_ slot: Int, _ name: String) -> UnsafeBufferPointer<UInt8> {
        var buffer = JSONByteBuffer(capacity: name.utf8.count * 6 + 3)
        JSONWriter.appendString(name, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        starts[slot] = buffer.base
        counts[slot] = buffer.count
        return UnsafeBufferPointer(start: buffer.base, count: buffer.count)
    }
}
