/// Store key bytes as a dictionary key.
///
/// `[UInt8]`'s own `Hashable` feeds the hasher one byte at a time, which made hashing the top
/// cost of the per-batch caches; this hashes the bytes once, when the key is made.
struct StoreKey: Hashable, Comparable {
    let bytes: [UInt8]
    /// The bytes' hash (a seeded `Hasher`, so no input can aim at collisions). A dictionary probe
    /// compares it before the bytes, and so skips the keys it passes without loading their arrays:
    /// those loads, a cache miss each, were 7.5% of the thread joining a 100k-row table.
    let digest: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        digest = hasher.finalize()
    }

    /// A key with a digest of the caller's choosing: tests make keys that collide.
    init(_ bytes: [UInt8], digest: Int) {
        self.bytes = bytes
        self.digest = digest
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// What `Dictionary` and `Set` ask for instead of `hash(into:)`: the digest, mixed with the
    /// table's seed. `digest` is already a seeded SipHash of the bytes; feeding it through a second
    /// `Hasher` for every probe (setup, one word, finalisation) was 5% of a windowed count's
    /// stream thread, whose stores probe their caches about seven times per record. The seed still
    /// decides the bucket order, so tables copied into each other do not cluster.
    func _rawHashValue(seed: Int) -> Int {
        var h = UInt64(bitPattern: Int64(digest ^ seed)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(bitPattern: UInt(truncatingIfNeeded: h))
    }

    // One memcmp: `[UInt8]`'s own `==` compares element by element, and every cache hit pays it.
    static func == (a: StoreKey, b: StoreKey) -> Bool {
        a.digest == b.digest && a.bytes.count == b.bytes.count
            && a.bytes.withUnsafeBytes { pa in b.bytes.withUnsafeBytes { pb in compareBytes(pa, pb) == 0 } }
    }

    /// The order of the bytes in a store (lexicographic, unsigned).
    static func < (a: StoreKey, b: StoreKey) -> Bool { compareArrays(a.bytes, b.bytes) < 0 }
}
