/// A growable byte buffer for the encoder's arena and output.
///
/// `[UInt8].append` re-checks uniqueness and capacity on every call and goes through generic
/// `append(contentsOf:)` for runs, which dominated encoding time. This is a plain pointer and
/// two counters; its owner (``FastJSONEncoder``) frees it exactly once with `deallocate()`.
struct JSONByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    mutating func removeAll() { count = 0 }

    @inline(__always) subscript(index: Int) -> UInt8 { base[index] }

    /// Makes room for `extra` more bytes.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count &+ extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        reserve(n)
        (base + count).update(from: bytes, count: n)
        count &+= n
    }

    /// Appends a copy of `self[start..<start+n]` (which must not overlap the end).
    @inline(__always) mutating func appendCopy(from start: Int, count n: Int) {
        reserve(n)
        (base + count).update(from: base + start, count: n)
        count &+= n
    }
}
