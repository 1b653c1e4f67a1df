import SluiceTopology

/// Held-back window results, released oldest window end first.
///
/// The results live in memory, by window end, so a record learns what it releases without a
/// scan. The store (`[window end][windowed key]` → timestamped value) makes them durable and
/// changelogged, but only at the commit step (`flush`): a result held and released between two
/// commits never reaches the store, its changelog or RocksDB, and one updated many times is
/// written once, as Kafka Streams' record cache does for the stores it fronts.
final class SuppressionBuffer<K, V> {
    let store: StateStore
    private let keySerde: any Serde<Windowed<K>>
    private let valueSerde: any Serde<V>

    // The results sit in parallel arrays of slots, found through dictionaries of concrete types:
    // the buffer is generic code the compiler cannot specialise, and a dictionary of a generic
    // value costs a type-metadata lookup and unspecialised hashing on every access. Only its
    // task's thread touches them; run-time exclusivity checks showed in profiles.
    @exclusivity(unchecked) private var keys: [K] = []
    @exclusivity(unchecked) private var windows: [Window] = []
    @exclusivity(unchecked) private var values: [V] = []
    @exclusivity(unchecked) private var timestamps: [Int64] = []
    /// Per slot: in the store as of the last flush.
    @exclusivity(unchecked) private var persisted: [Bool] = []
    /// Per slot: changed since the last flush.
    @exclusivity(unchecked) private var changed: [Bool] = []
    /// Slots free for reuse (a free slot keeps its last key and value until reused).
    @exclusivity(unchecked) private var free: [Int] = []

    /// Held results' slots by window end, then by their store key.
    @exclusivity(unchecked) private var held: [Int64: [StoreKey: Int]] = [:]
    /// The window ends in `held`, ascending.
    private var ends: [Int64] = []
    /// Held results changed since the last flush (a key may repeat; the flush skips clean ones).
    private var dirty: [(end: Int64, key: StoreKey)] = []
    /// Results in the store that left the buffer since the last flush.
    private var removed: [StoreKey] = []
    /// Whether `held` has been filled from the store.
    private var loaded = false

    init(_ store: StateStore, key: any Serde<Windowed<K>>, value: any Serde<V>) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
    }

    private func bufferKey(_ key: Windowed<K>) throws -> StoreKey {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        StoreEncoding.appendTime(key.window.end, to: &bytes)
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a windowed key must not be null") }
        return StoreKey(bytes)
    }

    /// Holds `value` as the window's latest result (`nil` drops what was held).
    func hold(_ key: Windowed<K>, _ value: V?, timestamp: Int64) throws {
        try load()
        let k = try bufferKey(key)
        let end = key.window.end
        guard let value else {
            guard let slot = held[end]?.removeValue(forKey: k) else { return }
            if persisted[slot] { removed.append(k) }
            free.append(slot)
            if held[end]!.isEmpty { forget(end) }
            return
        }
        if let slot = held[end]?[k] {
            values[slot] = value
            timestamps[slot] = timestamp
            changed[slot] = true
        } else {
            if held[end] == nil { remember(end) }
            held[end, default: [:]][k] = occupy(key.key, key.window, value, timestamp, persisted: false, changed: true)
        }
        dirty.append((end, k))
    }

    private func occupy(_ key: K, _ window: Window, _ value: V, _ timestamp: Int64, persisted isPersisted: Bool, changed isChanged: Bool) -> Int {
        guard let slot = free.popLast() else {
            keys.append(key)
            windows.append(window)
            values.append(value)
            timestamps.append(timestamp)
            persisted.append(isPersisted)
            changed.append(isChanged)
            return keys.count - 1
        }
        keys[slot] = key
        windows[slot] = window
        values[slot] = value
        timestamps[slot] = timestamp
        persisted[slot] = isPersisted
        changed[slot] = isChanged
        return slot
    }

    /// Removes, oldest window end first, the results whose windows `isClosed` says are closed,
    /// and hands each to `body` in key order. Releases nothing before `load`.
    func release(while isClosed: (Window) -> Bool, _ body: (Windowed<K>, V, Int64) -> Void) {
        // Whether a window is closed depends on its end only.
        while let end = ends.first, let bucket = held[end], let any = bucket.first, isClosed(windows[any.value]) {
            held[end] = nil
            ends.removeFirst()
            for k in bucket.keys.sorted() {
                let slot = bucket[k]!
                if persisted[slot] { removed.append(k) }
                free.append(slot)
                body(Windowed(key: keys[slot], window: windows[slot]), values[slot], timestamps[slot])
            }
        }
    }

    /// Writes what changed since the last flush to the store: deletions of what left, then the
    /// latest value of every result still held that changed.
    func flush() throws {
        for k in removed { try store.put(k, nil) }
        removed.removeAll(keepingCapacity: true)
        var bytes: [UInt8] = []
        for (end, k) in dirty {
            guard let slot = held[end]?[k], changed[slot] else { continue }
            bytes.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: timestamps[slot].bigEndian) { bytes.append(contentsOf: $0) }
            _ = try valueSerde.serialize(values[slot], into: &bytes)
            try store.put(k, bytes, isNew: !persisted[slot])
            persisted[slot] = true
            changed[slot] = false
        }
        dirty.removeAll(keepingCapacity: true)
    }

    private func remember(_ end: Int64) {
        var low = ends.count
        while low > 0 && ends[low - 1] > end { low -= 1 }  // ends mostly arrive in order
        ends.insert(end, at: low)
    }

    private func forget(_ end: Int64) {
        held[end] = nil
        if let i = ends.firstIndex(of: end) { ends.remove(at: i) }
    }

    /// Fills the buffer from its store, once.
    func load() throws {
        guard !loaded else { return }
        try store.scan(from: nil, to: nil) { key, value in
            let windowed = try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: key[8...]))
            let (timestamp, bytes) = StoreEncoding.splitTimestamped(value)
            let end = windowed.window.end
            let decoded = try valueSerde.deserialize(bytes)
            if held[end] == nil { remember(end) }
            held[end, default: [:]][StoreKey(Array(key))] = occupy(
                windowed.key, windowed.window, decoded, timestamp, persisted: true, changed: false)
            return true
        }
        loaded = true
    }
}
