/// Store key bytes as a dictionary key.
///
/// `[UInt8]`'s own `Hashable` feeds the hasher one byte at a time, which made hashing the top
/// cost of the per-batch caches; this hashes the bytes once, when the key is made.
struct StoreKey: Hashable, Comparable {
    let bytes: [UInt8]
    /// The bytes' hash (a seeded `Hasher`, so no input can aim at collisions). A dictionary probe
    /// compares it before the bytes, and so skips the keys it passes without loading their arrays:
    /// those loads, a cache miss each, were 7.5% of the thread joining a 100k-row table.
    private let digest: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        digest = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    // One memcmp: `[UInt8]`'s own `==` compares element by element, and every cache hit pays it.
    static func == (a: StoreKey, b: StoreKey) -> Bool {
        a.digest == b.digest && a.bytes.count == b.bytes.count
            && a.bytes.withUnsafeBytes { pa in b.bytes.withUnsafeBytes { pb in compareBytes(pa, pb) == 0 } }
    }

    /// The order of the bytes in a store (lexicographic, unsigned).
    static func < (a: StoreKey, b: StoreKey) -> Bool { compareArrays(a.bytes, b.bytes) < 0 }
}
