/// Makes Strings of up to 15 ASCII bytes in the standard library's inline ("small") form
/// directly, without its initializers.
///
/// Most strings an event carries (ids, types, devices, country codes, keys) are that short, and
/// the standard library's initializers spent 14-16 ns on each (copying through a closure,
/// checking for ASCII, checking again for valid UTF-8); this takes about 4 (`swiftc -O`, 12-07).
/// No public API makes a small String from bytes any faster, so this writes the two words
/// itself: the bytes in order, and in the top byte of the second word the small-string
/// discriminator (immortal, small, ASCII) with the count.
///
/// That layout is the standard library's, not a promised ABI on Linux. So `isAvailable` compares
/// the bits this writes with the bits of Strings the standard library made, for every length,
/// once per process; only where all of them agree is this used, and elsewhere callers keep the
/// standard initializers. Only bits are compared, so a different layout cannot make the check
/// itself read a bad String.
@usableFromInline enum SmallASCIIString {
    @usableFromInline static let maximumCount = 15

    /// Whether this process's standard library lays out small Strings as assumed.
    @usableFromInline static let isAvailable: Bool = layoutMatches()

    /// A String of the `count` (at most 15) bytes at `bytes`, or `nil` if any is not ASCII.
    /// Reads only those bytes. Check `isAvailable` first.
    @inlinable @inline(__always)
    static func make(_ bytes: UnsafePointer<UInt8>, count: Int) -> String? {
        let (low, high) = words(bytes, count)
        guard (low | high) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return unsafeBitCast((low, high | discriminator(count: count)), to: String.self)
    }

    /// Immortal, small and ASCII (0xE0), with the count in the low four bits of the top byte.
    @inlinable @inline(__always) static func discriminator(count: Int) -> UInt64 {
        (0xE0 | UInt64(truncatingIfNeeded: count)) &<< 56
    }

    /// The `count` bytes at `bytes` as two little-endian words, zero past the end, read without
    /// reading past them (an input may end at a page's end).
    @inlinable @inline(__always)
    static func words(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64) {
        guard count >= 8 else { return (ShortLoads.word(bytes, count), 0) }
        let raw = UnsafeRawPointer(bytes)
        let low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        guard count > 8 else { return (low, 0) }
        // The last eight bytes, shifted so that byte 8 lands in the lowest place.
        let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        return (low, last &>> UInt64(truncatingIfNeeded: (16 &- count) &* 8))
    }

    /// Whether, for every length up to 15, the standard library's String of those bytes has
    /// exactly the bits `make` would write.
    static func layoutMatches() -> Bool {
        guard MemoryLayout<String>.size == 16, UInt64(1).littleEndian == 1 else { return false }
        let sample = Array("abcdefghijklmno".utf8)
        return sample.withUnsafeBufferPointer { sample in
            (0...maximumCount).allSatisfy { count in
                let standard = String(decoding: UnsafeBufferPointer(rebasing: sample[..<count]), as: UTF8.self)
                let bits = unsafeBitCast(standard, to: (UInt64, UInt64).self)
                let (low, high) = words(sample.baseAddress!, count)
                return bits.0 == low && bits.1 == high | discriminator(count: count)
            }
        }
    }
}
