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
/// a new value takes the slot of each in turn.
final class DecodedValues<V>: DecodedValueCache {
    // Values in a plain array by slot, behind an index of a concrete type: this generic code is
    // not specialised, and a table of a generic value costs a metadata lookup per access.
    @exclusivity(unchecked) private var index: SlotIndex
    @exclusivity(unchecked) private var values: [V] = []
    var limit: Int {
        get { index.limit }
        set { index = SlotIndex(limit: newValue); values.removeAll() }
    }

    init(limit: Int) { index = SlotIndex(limit: limit) }

    /// Cache bytes a decoded value is counted as, to bound them by the store's share: a decoded
    /// value weighs more than its bytes.
    static var bytesPerValue: Int { 256 }

    /// The value of `key` and its timestamp, if kept.
    func find(_ key: StoreKey) -> (value: V, timestamp: Int64)? {
        guard let (slot, timestamp) = index.find(key) else { return nil }
        return (values[slot], timestamp)
    }

    /// `find`, with the timestamp through `timestamp`: no tuple of `V` (see `withValue`).
    func value(_ key: StoreKey, timestamp: inout Int64) -> V? {
        guard let found = index.find(key) else { return nil }
        timestamp = found.timestamp
        return values[found.slot]
    }

    /// Calls `body` with the value of `key`, if kept, and says whether it was: unlike `find`, it
    /// makes no tuple or optional of `V`, whose metadata unspecialised code looks up each time.
    func withValue(_ key: StoreKey, _ body: (V) throws -> Void) rethrows -> Bool {
        guard let slot = index.slot(of: key) else { return false }
        try body(values[slot])
        return true
    }

    func remember(_ key: StoreKey, _ value: V, timestamp: Int64) {
        guard let (slot, isNew) = index.insert(key, timestamp: timestamp) else { return }
        if isNew { values.append(value) } else { values[slot] = value }
    }

    /// A forgotten key's slot keeps its value until reused.
    func forget(_ key: StoreKey) { index.remove(key) }

    func forgetAll() {
        index.removeAll()
        values.removeAll(keepingCapacity: true)
    }
}
