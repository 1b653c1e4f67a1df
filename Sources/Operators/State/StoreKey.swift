/// Store key bytes as a dictionary key.
///
/// `[UInt8]`'s own `Hashable` feeds the hasher one byte at a time, which made hashing the top
/// cost of the per-batch caches; this hashes the bytes in one call.
struct StoreKey: Hashable, Comparable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    // One memcmp: `[UInt8]`'s own `==` compares element by element, and every cache hit pays it.
    static func == (a: StoreKey, b: StoreKey) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { pa in b.bytes.withUnsafeBytes { pb in compareBytes(pa, pb) == 0 } }
    }

    /// The order of the bytes in a store (lexicographic, unsigned).
    static func < (a: StoreKey, b: StoreKey) -> Bool { compareArrays(a.bytes, b.bytes) < 0 }
}
