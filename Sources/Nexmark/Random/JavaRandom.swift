/// `java.util.Random`, bit for bit: the 48-bit linear congruential generator with Java's seed
/// scrambling, and Java's way of deriving ints, bounded ints, longs and doubles from it.
///
/// Beam's Nexmark generator seeds one `Random` per event with the event's id and draws every field
/// from it, so matching Beam's events means matching these few methods exactly, including
/// `nextInt(bound)`'s rejection loop and Java's wrapping `int`/`long` arithmetic (hence the `&`
/// operators).
package struct JavaRandom {
    private static let multiplier: UInt64 = 0x5_DEEC_E66D
    private static let addend: UInt64 = 0xB
    private static let mask: UInt64 = (1 << 48) - 1

    private var seed: UInt64

    /// `new Random(seed)`: Java XORs the seed with the multiplier ("initial scramble") so that
    /// nearby seeds do not start with nearby states.
    package init(seed: Int64) {
        self.seed = (UInt64(bitPattern: seed) ^ Self.multiplier) & Self.mask
    }

    /// `next(bits)`: advances the state and returns its top `bits` bits (1...32) as Java's `int`.
    @inline(__always)
    package mutating func next(_ bits: Int) -> Int32 {
        seed = (seed &* Self.multiplier &+ Self.addend) & Self.mask
        return Int32(truncatingIfNeeded: seed >> UInt64(48 - bits))
    }

    /// `nextInt()`: 32 random bits.
    @inline(__always)
    package mutating func nextInt() -> Int32 { next(32) }

    /// `nextInt(bound)`: uniform in `0..<bound`.
    ///
    /// Powers of two take the high bits of one draw. Other bounds take `next(31) % bound` and
    /// reject draws from the incomplete last block of `bound` values, which Java detects by its
    /// `int` overflowing; the same wrapping test is used here so the same draws are rejected.
    /// - Important: `bound` must be positive (Java throws; callers validate their configuration).
    @inline(__always)
    package mutating func nextInt(_ bound: Int32) -> Int32 {
        precondition(bound > 0, "JavaRandom.nextInt(bound) needs a positive bound")
        var r = next(31)
        let m = bound &- 1
        if bound & m == 0 {
            return Int32(truncatingIfNeeded: (Int64(bound) &* Int64(r)) >> 31)
        }
        var u = r
        while true {
            r = u % bound
            if u &- r &+ m >= 0 { return r }
            u = next(31)
        }
    }

    /// `nextLong()`: two 32-bit draws, high half first, added as Java `long`s (the low half is
    /// sign-extended, so it is not a plain concatenation).
    @inline(__always)
    package mutating func nextLong() -> Int64 {
        let high = Int64(next(32))
        let low = Int64(next(32))
        return (high << 32) &+ low
    }

    /// `nextDouble()`: 53 random bits (26 then 27) scaled into `0..<1`.
    @inline(__always)
    package mutating func nextDouble() -> Double {
        let high = Int64(next(26))
        let low = Int64(next(27))
        return Double((high << 27) + low) * 0x1.0p-53
    }
}
