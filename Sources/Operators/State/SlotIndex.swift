/// What keeps the values of a `SlotIndex`'s slots, each value in its key's slot: told when a slot
/// empties and when a kept key moves to another.
protocol SlotValues: AnyObject {
    /// The key in `slot` is gone: drop its value.
    func drop(_ slot: Int)
    /// The key in `from` is now in `to`, which was empty: move its value there.
    func move(_ from: Int, to: Int)
    /// The index now has `capacity` slots, and each key of `moves` went from `from` to `to`.
    func resize(to capacity: Int, moving moves: [(from: Int, to: Int)])
}

/// Up to `limit` store keys, each in a numbered slot with a timestamp: the index behind
/// `DecodedValues`, which keeps each key's value in a buffer by slot.
///
/// A join's table lookup is one probe here, of a table usually too big for the processor's
/// caches, so the probe's memory reads are what it costs. A bucket (32 bytes, two to a cache
/// line) holds the key's digest and, for a key of up to 16 bytes (a user id, a number), the key
/// itself, so one read confirms it. A key's slot is its bucket's position: the value's address is
/// known before the bucket arrives, and the processor reads both at once. (With the slot stored in
/// the bucket, the value's read waited for the bucket's: two cache misses one after the other,
/// most of a join's lookup.) The price is that keys move: a removal closes up the run behind it
/// (linear probing, no tombstones), and growing places every key again. `SlotValues` hears of
/// each move. At most half full.
struct SlotIndex {
    private struct Bucket {
        var digest: Int
        /// The key's length when it is held here (`inline`), `long` when it is in `keys`, or `vacant`.
        var length: Int32
        var inline: (UInt64, UInt64)

        static let vacant: Int32 = .min
        static let long: Int32 = -1
        static let empty = Bucket(digest: 0, length: vacant, inline: (0, 0))
    }

    /// The key's bytes as two words, zero-padded, if it has at most 16.
    private static func inline(_ key: StoreKey) -> (UInt64, UInt64)? {
        guard key.bytes.count <= 16 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { out in key.bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
        return words
    }

    /// What `keys` holds in a slot whose key, if any, is in its bucket.
    private static let noKey = StoreKey([], digest: 0)

    /// A power of two, at least twice `count` (and 0 before the first insert).
    private var buckets: [Bucket] = []
    /// By slot, as `buckets`: the keys longer than a bucket holds, and every key's timestamp (a
    /// join reads neither).
    private var keys: [StoreKey] = []
    private var timestamps: [Int64] = []
    /// Where the search for the next key to evict starts, when `limit` are kept: each in turn.
    private var victim = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) { self.limit = min(max(0, limit), Int(Int32.max)) }

    /// Slots there are (the values' buffer is as long); 0 until the first key.
    var capacity: Int { buckets.count }

    /// The slot of `key`.
    func slot(of key: StoreKey) -> Int? {
        guard !buckets.isEmpty else { return nil }
        let mask = buckets.count - 1
        let words = Self.inline(key)
        var b = key.digest & mask
        while true {
            let bucket = buckets[b]
            if bucket.length == Bucket.vacant { return nil }
            if bucket.digest == key.digest {
                if let words {
                    if bucket.length == key.bytes.count && bucket.inline == words { return b }
                } else if bucket.length == Bucket.long && keys[b] == key {
                    return b
                }
            }
            b = (b + 1) & mask
        }
    }

    /// The slot and timestamp of `key`.
    func find(_ key: StoreKey) -> (slot: Int, timestamp: Int64)? {
        guard let slot = slot(of: key) else { return nil }
        return (slot, timestamps[slot])
    }

    /// Sets `key`'s timestamp, giving it a slot if it has none; when `limit` keys are kept, the
    /// next in turn is dropped first.
    /// - Returns: the slot, and whether it is new (it was empty: its value is to be made, not
    ///   replaced).
    mutating func insert(_ key: StoreKey, timestamp: Int64, values: some SlotValues) -> (slot: Int, isNew: Bool)? {
        guard limit > 0 else { return nil }
        if let slot = slot(of: key) {
            timestamps[slot] = timestamp
            return (slot, false)
        }
        if count == limit { evict(values) }
        if (count + 1) * 2 > buckets.count { grow(values) }
        let b = vacantBucket(for: key.digest)
        let words = Self.inline(key)
        buckets[b] = Bucket(digest: key.digest, length: words == nil ? Bucket.long : Int32(key.bytes.count), inline: words ?? (0, 0))
        if words == nil { keys[b] = key }
        timestamps[b] = timestamp
        count += 1
        return (b, true)
    }

    /// Drops `key`. - Returns: whether it was kept.
    @discardableResult
    mutating func remove(_ key: StoreKey, values: some SlotValues) -> Bool {
        guard let slot = slot(of: key) else { return false }
        removeSlot(slot, values)
        return true
    }

    /// Drops every key; the slots go too.
    mutating func removeAll(values: some SlotValues) {
        // A store restoring rows forgets its values before each one: nothing to do while empty.
        guard !buckets.isEmpty else { return }
        for slot in buckets.indices where buckets[slot].length != Bucket.vacant { values.drop(slot) }
        buckets = []
        keys = []
        timestamps = []
        victim = 0
        count = 0
        values.resize(to: 0, moving: [])
    }

    /// The first empty bucket of `digest`'s run.
    private func vacantBucket(for digest: Int) -> Int {
        let mask = buckets.count - 1
        var b = digest & mask
        while buckets[b].length != Bucket.vacant { b = (b + 1) & mask }
        return b
    }

    private mutating func evict(_ values: some SlotValues) {
        let mask = buckets.count - 1
        while buckets[victim].length == Bucket.vacant { victim = (victim + 1) & mask }
        let slot = victim
        victim = (victim + 1) & mask
        removeSlot(slot, values)
    }

    /// Empties `slot` and moves later keys of its run back, so that no probe stops early at the
    /// hole.
    private mutating func removeSlot(_ slot: Int, _ values: some SlotValues) {
        values.drop(slot)
        let mask = buckets.count - 1
        var hole = slot
        var next = (hole + 1) & mask
        while buckets[next].length != Bucket.vacant {
            let home = buckets[next].digest & mask
            // The key at `next` may fill the hole if its home is not within (hole, next].
            if (hole - home) & mask < (next - home) & mask {
                buckets[hole] = buckets[next]
                keys[hole] = keys[next]
                timestamps[hole] = timestamps[next]
                values.move(next, to: hole)
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = .empty
        keys[hole] = Self.noKey
        count -= 1
    }

    private mutating func grow(_ values: some SlotValues) {
        let (oldBuckets, oldKeys, oldTimestamps) = (buckets, keys, timestamps)
        let capacity = max(16, buckets.count * 2)
        buckets = Array(repeating: .empty, count: capacity)
        keys = Array(repeating: Self.noKey, count: capacity)
        timestamps = Array(repeating: 0, count: capacity)
        victim = 0
        var moves: [(from: Int, to: Int)] = []
        moves.reserveCapacity(count)
        for (slot, bucket) in oldBuckets.enumerated() where bucket.length != Bucket.vacant {
            let b = vacantBucket(for: bucket.digest)
            buckets[b] = bucket
            keys[b] = oldKeys[slot]
            timestamps[b] = oldTimestamps[slot]
            moves.append((slot, b))
        }
        values.resize(to: capacity, moving: moves)
    }
}
