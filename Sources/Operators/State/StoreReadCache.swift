/// Committed entries of one store that were read or written lately, so that a store read again
/// and again (a table a stream joins, an aggregate updated per key) is answered from memory and
/// not from RocksDB, whose memtable lookups cost over a microsecond. Kafka Streams fronts its
/// stores with a record cache for the same reason.
///
/// It holds committed values only: the store's pending writes are looked up first and enter
/// here when they commit. Bounded by bytes; when full it drops the entries that come first in
/// the dictionary's order, which is its hash order: random eviction, with no bookkeeping per
/// read, so a working set larger than the cache still finds a part of it here.
struct StoreReadCache {
    private var entries: [StoreKey: [UInt8]] = [:]
    private var bytes = 0
    /// Most bytes of keys, values and an estimate of the bookkeeping per entry; `0` disables it.
    var limit: Int

    init(limit: Int) { self.limit = limit }

    /// What the dictionary and two arrays cost beyond their bytes, roughly.
    private static let overhead = 96

    func value(for key: StoreKey) -> [UInt8]? { entries[key] }

    var isEmpty: Bool { entries.isEmpty }

    /// Remembers `value` as `key`'s committed value (`nil`: the key is gone).
    mutating func set(_ key: StoreKey, _ value: [UInt8]?) {
        guard limit > 0 else { return }
        let cost = value.map { Self.cost(key, $0) } ?? 0
        guard let value, cost <= limit else {
            // Gone, or too big to keep: what was kept for the key is stale either way.
            if let old = entries.removeValue(forKey: key) { bytes -= Self.cost(key, old) }
            return
        }
        if let old = entries.updateValue(value, forKey: key) {
            bytes += cost - Self.cost(key, old)
        } else {
            bytes += cost
        }
        while bytes > limit, let victim = entries.first(where: { $0.key != key }) {
            entries.removeValue(forKey: victim.key)
            bytes -= Self.cost(victim.key, victim.value)
        }
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes = 0
    }

    private static func cost(_ key: StoreKey, _ value: [UInt8]) -> Int { key.bytes.count + value.count + overhead }
}
