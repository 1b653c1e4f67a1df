/// Reads of fewer than eight bytes as one little-endian word, without reading past them: an
/// input may end at the end of a page. Shared by the JSON writer's escape scan and
/// `SmallASCIIString`.
@usableFromInline enum ShortLoads {
    /// The `count` (< 8) bytes at `p`, zero above them, in at most two overlapping loads (the
    /// overlap holds the same bytes in both).
    @inlinable @inline(__always) static func word(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        switch count {
        case 4...:
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            return low | high &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8)
        case 2...:
            let low = UInt64(UInt16(littleEndian: raw.loadUnaligned(as: UInt16.self)))
            let high = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)))
            return low | high &<< UInt64(truncatingIfNeeded: (count &- 2) &* 8)
        case 1:
            return UInt64(p[0])
        default:
            return 0
        }
    }
}
