/// Committed entries of one store that were read or written lately, so that a store read again
/// and again (a table a stream joins, an aggregate updated per key) is answered from memory and
/// not from RocksDB, whose memtable lookups cost over a microsecond. Kafka Streams fronts its
/// stores with a record cache for the same reason.
///
/// It holds committed values only: the store's pending writes are looked up first and enter
/// here when they commit. Bounded by bytes; when full it empties, which costs nothing per entry
/// and keeps the hot keys of a working set that fits.
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
        if bytes > limit {
            removeAll()
            entries[key] = value
            bytes = cost
        }
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes = 0
    }

    private static func cost(_ key: StoreKey, _ value: [UInt8]) -> Int { key.bytes.count + value.count + overhead }
}
