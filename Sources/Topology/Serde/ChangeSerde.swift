/// A table update on the wire (repartition topics of table groupings): a flags byte (bit 0: a new
/// value follows, bit 1: an old value follows), then each present value as a 4-byte big-endian
/// length and its bytes, new first.
public struct ChangeSerde<ValueSerde: Serde>: Serde {
    public let valueSerde: ValueSerde
    public init(_ valueSerde: ValueSerde) { self.valueSerde = valueSerde }

    public func serialize(_ change: Change<ValueSerde.Value>, into buffer: inout [UInt8]) throws -> Bool {
        let flagsAt = buffer.count
        buffer.append(0)
        var flags: UInt8 = 0
        for (bit, value) in [(UInt8(1), change.new), (UInt8(2), change.old)] {
            guard let value else { continue }
            let lengthAt = buffer.count
            buffer.append(contentsOf: [0, 0, 0, 0])
            guard try valueSerde.serialize(value, into: &buffer) else {
                buffer.removeSubrange(lengthAt...)
                continue
            }
            let length = UInt32(buffer.count - lengthAt - 4)
            withUnsafeBytes(of: length.bigEndian) { buffer.replaceSubrange(lengthAt..<(lengthAt + 4), with: $0) }
            flags |= bit
        }
        buffer[flagsAt] = flags
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Change<ValueSerde.Value> {
        guard let bytes, bytes.count >= 1 else { throw SerdeError("a table update needs at least one byte") }
        let flags = bytes[0]
        var offset = 1
        func next() throws -> ValueSerde.Value {
            guard offset + 4 <= bytes.count else { throw SerdeError("a table update is truncated") }
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length <= bytes.count else { throw SerdeError("a table update is truncated") }
            defer { offset += length }
            return try valueSerde.deserialize(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
        }
        let new = flags & 1 != 0 ? try next() : nil
        let old = flags & 2 != 0 ? try next() : nil
        return Change(new: new, old: old)
    }
}
