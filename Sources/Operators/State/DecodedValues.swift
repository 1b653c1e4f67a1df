/// What a store tells the typed values decoded from it when its bytes change.
protocol DecodedValueCache: AnyObject {
    func forget(_ key: StoreKey)
    func forgetAll()
    /// The most values kept; changing it forgets every one.
    var limit: Int { get set }
}

/// Values decoded from one key-value store, by key, so that a value read again and again (a
/// table row a stream joins, an aggregate updated per record) is decoded once: a JSON decode
/// costs more than every other step of such a read. Shared by the typed wrappers of one store
/// and told of every write by the store itself, so an entry never outlives the bytes it came
/// from. Holds at most `limit` entries (the store's cache bytes over `bytesPerValue`); when full,
/// a new value takes the slot of the entry first in the dictionary's (hash) order: random
/// eviction.
final class DecodedValues<V>: DecodedValueCache {
    // Slots of plain arrays behind a dictionary of a concrete type: this generic code is not
    // specialised, and a dictionary of a generic value costs a metadata lookup per access.
    @exclusivity(unchecked) private var slots: [StoreKey: Int] = [:]
    @exclusivity(unchecked) private var values: [V] = []
    @exclusivity(unchecked) private var timestamps: [Int64] = []
    /// Slots of forgotten keys (a free slot keeps its last value until reused).
    @exclusivity(unchecked) private var free: [Int] = []
    var limit: Int {
        didSet { forgetAll() }
    }

    init(limit: Int) { self.limit = limit }

    /// Cache bytes a decoded value is counted as, to bound them by the store's share: a decoded
    /// value weighs more than its bytes.
    static var bytesPerValue: Int { 256 }

    func slot(_ key: StoreKey) -> Int? { slots[key] }
    func value(_ slot: Int) -> V { values[slot] }
    func timestamp(_ slot: Int) -> Int64 { timestamps[slot] }

    func remember(_ key: StoreKey, _ value: V, timestamp: Int64) {
        guard limit > 0 else { return }
        if let slot = slots[key] {
            values[slot] = value
            timestamps[slot] = timestamp
            return
        }
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
        } else if values.count < limit {
            values.append(value)
            timestamps.append(timestamp)
            slots[key] = values.count - 1
            return
        } else {
            let victim = slots.first!
            slots.remove(at: slots.startIndex)
            slot = victim.value
        }
        values[slot] = value
        timestamps[slot] = timestamp
        slots[key] = slot
    }

    func forget(_ key: StoreKey) {
        if let slot = slots.removeValue(forKey: key) { free.append(slot) }
    }

    func forgetAll() {
        slots.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        free.removeAll(keepingCapacity: true)
    }
}
