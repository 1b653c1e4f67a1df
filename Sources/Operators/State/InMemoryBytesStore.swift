#if canImport(Glibc)
import Glibc
#endif

/// A sorted array of keys and values: the store of the TestDriver, of `inMemory` workers and of
/// every suppression buffer.
/// Writes apply at once (there is nothing to make atomic), so `commit` has nothing to do.
public final class InMemoryBytesStore: BytesStore {
    public var persistent: Bool { false }
    private var keys: [[UInt8]] = []
    private var values: [[UInt8]] = []

    public init() {}

    public var count: Int { keys.count }

    public func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        let (index, found) = search(key)
        return found ? values[index] : nil
    }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws {
        let (index, found) = search(key)
        switch (found, value) {
        case (true, let value?): values[index] = Array(value)
        case (true, nil):
            keys.remove(at: index)
            values.remove(at: index)
        case (false, let value?):
            keys.insert(Array(key), at: index)
            values.insert(Array(value), at: index)
        case (false, nil): break
        }
    }

    public func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let lower = from.map { f in f.withUnsafeBytes { search($0).index } } ?? 0
        let upper = to.map { t in t.withUnsafeBytes { search($0).index } } ?? keys.count
        guard lower < upper else { return }
        let indices: [Int] = reverse ? Array((lower..<upper).reversed()) : Array(lower..<upper)
        for i in indices {
            let keep = try keys[i].withUnsafeBytes { k in try values[i].withUnsafeBytes { v in try body(k, v) } }
            if !keep { return }
        }
    }

    public func deleteRange(from: [UInt8], to: [UInt8]) throws {
        let lower = from.withUnsafeBytes { search($0).index }
        let upper = to.withUnsafeBytes { search($0).index }
        guard lower < upper else { return }
        keys.removeSubrange(lower..<upper)
        values.removeSubrange(lower..<upper)
    }

    public func commit(adding writes: [([UInt8], [UInt8]?)]) throws {
        for (key, value) in writes { try put(key, value) }
    }
    /// Writes applied at once cannot be taken back: a worker in memory that must forget a batch
    /// reopens its tasks, which restores them from their changelogs.
    public func discardBatch() {}
    public func clear() throws {
        keys.removeAll()
        values.removeAll()
    }

    /// Nothing outlives the process, so no checkpoint says anything.
    public func checkpointedOffset() throws -> Int64? { nil }

    public func checkpoint(_ offset: Int64) throws {}
    public func close() {}

    /// The first index whose key is not less than `key`, and whether it equals `key`.
    private func search(_ key: UnsafeRawBufferPointer) -> (index: Int, found: Bool) {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].withUnsafeBytes({ compareBytes($0, key) }) < 0 { low = mid + 1 } else { high = mid }
        }
        let found = low < keys.count && keys[low].withUnsafeBytes { compareBytes($0, key) } == 0
        return (low, found)
    }
}

/// Lexicographic comparison of byte strings: negative, zero or positive.
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
