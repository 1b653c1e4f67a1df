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
/// each kept value in turn makes room for a new one.
final class DecodedValues<V>: DecodedValueCache, SlotValues {
    // Values by slot, behind an index of a concrete type: this generic code is not specialised,
    // and a table of a generic value costs a metadata lookup per access. `slots` holds
    // `index.capacity` values, made in each slot that holds a key: a pointer, not an array, so
    // that a slot can be empty and a value be moved without a copy.
    @exclusivity(unchecked) private var index: SlotIndex
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<V>
    var limit: Int {
        get { index.limit }
        set {
            forgetAll()
            index = SlotIndex(limit: newValue)
        }
    }

    init(limit: Int) {
        index = SlotIndex(limit: limit)
        slots = .allocate(capacity: 1)
    }

    deinit {
        forgetAll()
        slots.deallocate()
    }

    /// Cache bytes a decoded value is counted as, to bound them by the store's share: a decoded
    /// value weighs more than its bytes.
    static var bytesPerValue: Int { 256 }

    /// The value of `key` and its timestamp, if kept.
    func find(_ key: StoreKey) -> (value: V, timestamp: Int64)? {
        guard let (slot, timestamp) = index.find(key) else { return nil }
        return (slots[slot], timestamp)
    }

    /// `find`, with the timestamp through `timestamp`: no tuple of `V` (see `withValue`).
    func value(_ key: StoreKey, timestamp: inout Int64) -> V? {
        guard let found = index.find(key) else { return nil }
        timestamp = found.timestamp
        return slots[found.slot]
    }

    /// Calls `body` with the value of `key`, if kept, and says whether it was: unlike `find`, it
    /// makes no tuple or optional of `V`, whose metadata unspecialised code looks up each time.
    func withValue(_ key: StoreKey, _ body: (V) throws -> Void) rethrows -> Bool {
        guard let slot = index.slot(of: key) else { return false }
        try body(slots[slot])
        return true
    }

    func remember(_ key: StoreKey, _ value: V, timestamp: Int64) {
        guard let (slot, isNew) = index.insert(key, timestamp: timestamp, values: self) else { return }
        if isNew { (slots + slot).initialize(to: value) } else { slots[slot] = value }
    }

    func forget(_ key: StoreKey) { index.remove(key, values: self) }

    func forgetAll() { index.removeAll(values: self) }

    func drop(_ slot: Int) { (slots + slot).deinitialize(count: 1) }

    func move(_ from: Int, to: Int) { (slots + to).moveInitialize(from: slots + from, count: 1) }

    func resize(to capacity: Int, moving moves: [(from: Int, to: Int)]) {
        let resized = UnsafeMutablePointer<V>.allocate(capacity: max(1, capacity))
        for (from, to) in moves { (resized + to).moveInitialize(from: slots + from, count: 1) }
        slots.deallocate()
        slots = resized
    }
}
