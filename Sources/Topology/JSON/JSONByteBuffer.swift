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

    /// Grows the buffer by `n` bytes and returns where they start, for the caller to fill: a
    /// writer that knows its length up front pays for one capacity check instead of one per byte.
    @inline(__always) mutating func appendUninitialized(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        reserve(n)
        let start = base + count
        count &+= n
        return start
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        Self.copy(bytes, to: appendUninitialized(n), n)
    }

    /// Copies `n` bytes, short runs without a call into `memmove` (see `copyShort`).
    @inline(__always) static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, _ n: Int) {
        if n <= 16 {
            copyShort(source, to: target, n)
        } else {
            target.update(from: source, count: n)
        }
    }

    /// Copies up to 16 bytes with two overlapping loads and stores of the widest size that fits:
    /// an encoder appends a dozen short runs (keys, small values) per record, and a call into
    /// `memmove` for each cost more than the copying.
    @inline(__always) private static func copyShort(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, _ n: Int) {
        let s = UnsafeRawPointer(source)
        let t = UnsafeMutableRawPointer(target)
        if n >= 8 {
            let head = s.loadUnaligned(as: UInt64.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            t.storeBytes(of: head, as: UInt64.self)
            t.storeBytes(of: tail, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let head = s.loadUnaligned(as: UInt32.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            t.storeBytes(of: head, as: UInt32.self)
            t.storeBytes(of: tail, toByteOffset: n &- 4, as: UInt32.self)
        } else if n >= 2 {
            let head = s.loadUnaligned(as: UInt16.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 2, as: UInt16.self)
            t.storeBytes(of: head, as: UInt16.self)
            t.storeBytes(of: tail, toByteOffset: n &- 2, as: UInt16.self)
        } else if n == 1 {
            target[0] = source[0]
        }
    }

    /// Appends a copy of `self[start..<start+n]` (which must not overlap the end).
    @inline(__always) mutating func appendCopy(from start: Int, count n: Int) {
        reserve(n)
        (base + count).update(from: base + start, count: n)
        count &+= n
    }
}
