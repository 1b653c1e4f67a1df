/// Beam's `StringsGenerator`, `PriceGenerator` and `LongGenerator`: the draws every model
/// generator builds its fields from.
extension JavaRandom {
    /// Beam's shortest random string before trimming.
    private static let minStringLength: Int32 = 3

    /// `nextString(random, maxLength)`: 3 to `maxLength - 1` characters, each a space with
    /// probability 1/13 and otherwise a lowercase letter, then trimmed of leading and trailing
    /// spaces (Java's `trim()`), so it can come out shorter, even empty.
    ///
    /// Flink's URL paths use the same draws with `_` in place of the space (its
    /// `nextString(random, maxLength, special)`); `trim()` leaves `_` alone.
    mutating func nextString(maxLength: Int32, special: UInt8 = UInt8(ascii: " ")) -> String {
        let length = Int(Self.minStringLength + nextInt(maxLength - Self.minStringLength))
        return String(unsafeUninitializedCapacity: length) { bytes in
            for i in 0..<length {
                bytes[i] = nextInt(13) == 0 ? special : UInt8(ascii: "a") + UInt8(nextInt(26))
            }
            return trimSpaces(bytes, count: length)
        }
    }

    /// `nextExactString(random, length)`: `length` characters, six per `nextInt()`, each
    /// `'a' + rnd % 26` with `rnd` shifted down by `/ 26`.
    ///
    /// `rnd` is a signed Java `int`, so the remainder is negative for half the draws and the
    /// character lands below `'a'`: the alphabet is `H`…`z`, backslash included (which is why the
    /// JSON writer must escape it).
    mutating func nextExactString(length: Int) -> String {
        guard length > 0 else { return "" }
        return String(unsafeUninitializedCapacity: length) { bytes in
            @inline(__always) func letter(_ value: Int32) -> UInt8 { UInt8(truncatingIfNeeded: 97 + value % 26) }
            var filled = 0
            // Six characters per draw: log_26(2^31), rounded down. Java divides `rnd` by 26 after
            // each one; dividing the draw by 26^k instead gives the same quotients (truncating
            // division nests) without a chain of dependent divisions.
            while length - filled >= 6 {
                let rnd = nextInt()
                bytes[filled] = letter(rnd)
                bytes[filled + 1] = letter(rnd / 26)
                bytes[filled + 2] = letter(rnd / 676)
                bytes[filled + 3] = letter(rnd / 17_576)
                bytes[filled + 4] = letter(rnd / 456_976)
                bytes[filled + 5] = letter(rnd / 11_881_376)
                filled += 6
            }
            if filled < length {
                var rnd = nextInt()
                while filled < length {
                    bytes[filled] = letter(rnd)
                    rnd /= 26
                    filled += 1
                }
            }
            return length
        }
    }

    /// `nextExtra(random, currentSize, desiredAverageSize)`: padding that brings an event's
    /// idealized size to `desiredAverageSize` on average, uniform within ±20 % of what is missing;
    /// empty (and no draw) when the event is already larger.
    mutating func nextExtra(currentSize: Int32, desiredAverageSize: Int32) -> String {
        if currentSize > desiredAverageSize { return "" }
        let missing = desiredAverageSize &- currentSize
        let delta = Int32(truncatingIfNeeded: javaRound(Double(missing) * 0.2))
        let minSize = missing &- delta
        let size = minSize &+ (delta == 0 ? 0 : nextInt(2 &* delta))
        return nextExactString(length: Int(size))
    }

    /// `PriceGenerator.nextPrice`: cents, log-uniform between $1 and $1,000,000.
    mutating func nextPrice() -> Int64 {
        javaRound(javaPow(10.0, nextDouble() * 6.0) * 100.0)
    }

    /// `LongGenerator.nextLong(random, n)`: `nextInt(n)` while `n` fits Java's `int` (strictly
    /// below `Integer.MAX_VALUE`), otherwise `|nextLong() % n|`, skewed, as Beam warns.
    mutating func nextLong(below n: Int64) -> Int64 {
        if n < Int64(Int32.max) { return Int64(nextInt(Int32(n))) }
        let r = nextLong() % n
        return r < 0 ? 0 &- r : r
    }
}

/// Java's `String.trim()` for our ASCII output: drops leading and trailing bytes up to and
/// including space, moving the rest to the front. Returns the new count.
private func trimSpaces(_ bytes: UnsafeMutableBufferPointer<UInt8>, count: Int) -> Int {
    var start = 0
    var end = count
    while start < end, bytes[start] <= 0x20 { start += 1 }
    while end > start, bytes[end - 1] <= 0x20 { end -= 1 }
    if start > 0 {
        for i in start..<end { bytes[i - start] = bytes[i] }
    }
    return end - start
}
