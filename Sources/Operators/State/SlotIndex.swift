/// Up to `limit` store keys, each in a numbered slot (0 ..< limit) with a timestamp: the index
/// behind `DecodedValues`, which keeps its values in an array by slot.
///
/// A join's table lookup is one probe here, usually of a table too big for the processor's
/// caches, so the probe's memory reads are what it costs. A `[StoreKey: Int]` read the key's
/// bucket, the key's bytes (another object) to confirm it, then the slot from a second array and
/// the timestamp from a third: a cache miss each, most of a join's table lookup. Here a bucket
/// (32 bytes, two to a cache line) holds the digest and the slot, and a key of up to 16 bytes (a
/// user id, a number) is confirmed from the bucket too (linear probing, at most half full): one
/// miss. Timestamps are apart, by slot: a join reads none.
struct SlotIndex {
    private struct Bucket {
        var digest: Int
        /// -1: empty.
        var slot: Int32
        /// The key's length when it is held here (`inline`), else -1: compare `keys[slot]`.
        var length: Int32
        var inline: (UInt64, UInt64)

        static let empty = Bucket(digest: 0, slot: -1, length: -1, inline: (0, 0))
    }

    /// The key's bytes as two words, zero-padded, if it has at most 16.
    private static func inline(_ key: StoreKey) -> (UInt64, UInt64)? {
        guard key.bytes.count <= 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { out in key.bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
        return words
    }

    /// A power of two, at least twice `count` (and 0 before the first insert).
    private var buckets: [Bucket] = []
    /// The key in each slot; a freed slot keeps its last key until reused.
    private var keys: [StoreKey] = []
    private var timestamps: [Int64] = []
    private var free: [Int32] = []
    /// The next slot to evict when every slot is taken: each in turn.
    private var victim = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) { self.limit = min(max(0, limit), Int(Int32.max)) }

    /// The slot of `key`.
    func slot(of key: StoreKey) -> Int? { bucket(of: key).map { Int(buckets[$0].slot) } }

    /// The slot and timestamp of `key`.
    func find(_ key: StoreKey) -> (slot: Int, timestamp: Int64)? {
        guard let slot = slot(of: key) else { return nil }
        return (slot, timestamps[slot])
    }

    /// Sets `key`'s timestamp, giving it a slot if it has none: a free one, a new one while fewer
    /// than `limit` are in use, or else the next in turn, whose key is dropped.
    /// - Returns: the slot, and whether it is new (one past every slot given out before).
    mutating func insert(_ key: StoreKey, timestamp: Int64) -> (slot: Int, isNew: Bool)? {
        guard limit > 0 else { return nil }
        if let slot = slot(of: key) {
            timestamps[slot] = timestamp
            return (slot, false)
        }
        let slot: Int
        var isNew = false
        if let reused = free.popLast() {
            slot = Int(reused)
            (keys[slot], timestamps[slot]) = (key, timestamp)
        } else if keys.count < limit {
            slot = keys.count
            keys.append(key)
            timestamps.append(timestamp)
            isNew = true
        } else {
            slot = victim
            victim = (victim + 1) % limit
            removeBucket(of: keys[slot])
            (keys[slot], timestamps[slot]) = (key, timestamp)
        }
        if (count + 1) * 2 > buckets.count { grow() }
        var b = key.digest & (buckets.count - 1)
        while buckets[b].slot >= 0 { b = (b + 1) & (buckets.count - 1) }
        let words = Self.inline(key)
        buckets[b] = Bucket(digest: key.digest, slot: Int32(slot), length: words == nil ? -1 : Int32(key.bytes.count), inline: words ?? (0, 0))
        count += 1
        return (slot, isNew)
    }

    /// Drops `key`. - Returns: the slot it freed.
    @discardableResult
    mutating func remove(_ key: StoreKey) -> Int? {
        guard let slot = removeBucket(of: key) else { return nil }
        free.append(Int32(slot))
        return slot
    }

    mutating func removeAll() {
        buckets = []
        keys.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        free.removeAll(keepingCapacity: true)
        victim = 0
        count = 0
    }

    private func bucket(of key: StoreKey) -> Int? {
        guard !buckets.isEmpty else { return nil }
        let mask = buckets.count - 1
        let words = Self.inline(key)
        var b = key.digest & mask
        while true {
            let bucket = buckets[b]
            if bucket.slot < 0 { return nil }
            if bucket.digest == key.digest {
                if let words {
                    if bucket.length == key.bytes.count && bucket.inline == words { return b }
                } else if bucket.length < 0 && keys[Int(bucket.slot)] == key {
                    return b
                }
            }
            b = (b + 1) & mask
        }
    }

    /// Empties `key`'s bucket and moves later buckets of its run back, so that no probe stops
    /// early at the hole (no tombstones to clean up later). - Returns: its slot.
    @discardableResult
    private mutating func removeBucket(of key: StoreKey) -> Int? {
        guard var hole = bucket(of: key) else { return nil }
        let slot = Int(buckets[hole].slot)
        let mask = buckets.count - 1
        var next = (hole + 1) & mask
        while buckets[next].slot >= 0 {
            let home = buckets[next].digest & mask
            // The bucket at `next` may fill the hole if its home is not within (hole, next].
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToNext {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole].slot = -1
        count -= 1
        return slot
    }

    private mutating func grow() {
        let old = buckets
        buckets = Array(repeating: .empty, count: max(16, old.count * 2))
        let mask = buckets.count - 1
        for bucket in old where bucket.slot >= 0 {
            var b = bucket.digest & mask
            while buckets[b].slot >= 0 { b = (b + 1) & mask }
            buckets[b] = bucket
        }
    }
}
