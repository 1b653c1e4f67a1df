import SluiceTopology

/// Held-back window results, released oldest window end first.
///
/// The store (`[window end][windowed key]` → timestamped value) makes them durable and
/// changelogged; a copy in memory, by window end, answers which results a record releases without
/// a scan, and tells the store which keys are new, so a result held and released within one
/// micro-batch never reaches the changelog or RocksDB (Kafka Streams' in-memory suppression buffer
/// logs a tombstone for each).
final class SuppressionBuffer<K, V> {
    let store: StateStore
    private let keySerde: any Serde<Windowed<K>>
    private let valueSerde: any Serde<V>

    private struct Held {
        var key: Windowed<K>
        var value: V
        var timestamp: Int64
    }

    /// Held results by window end, then by their store key.
    private var held: [Int64: [StoreKey: Held]] = [:]
    /// The window ends in `held`, ascending.
    private var ends: [Int64] = []
    /// Whether `held` has been filled from the store (after a restore it holds what the
    /// changelog brought back).
    private var loaded = false

    init(_ store: StateStore, key: any Serde<Windowed<K>>, value: any Serde<V>) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
    }

    private func bufferKey(_ key: Windowed<K>) throws -> StoreKey {
        var bytes: [UInt8] = []
        StoreEncoding.appendTime(key.window.end, to: &bytes)
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a windowed key must not be null") }
        return StoreKey(bytes)
    }

    /// Holds `value` as the window's latest result (`nil` drops what was held).
    func hold(_ key: Windowed<K>, _ value: V?, timestamp: Int64) throws {
        try loadIfNeeded()
        let k = try bufferKey(key)
        let end = key.window.end
        guard let value else {
            guard held[end]?.removeValue(forKey: k) != nil else { return }
            if held[end]!.isEmpty { forget(end) }
            return try store.put(k.bytes, nil)
        }
        if held[end] == nil { remember(end) }
        let isNew = held[end, default: [:]].updateValue(Held(key: key, value: value, timestamp: timestamp), forKey: k) == nil
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        _ = try valueSerde.serialize(value, into: &bytes)
        try store.put(k.bytes, bytes, isNew: isNew)
    }

    /// Removes and returns, oldest window end first, the results whose windows `isClosed` says are closed.
    func release(while isClosed: (Window) -> Bool) throws -> [(key: Windowed<K>, value: V, timestamp: Int64)] {
        try loadIfNeeded()
        var released: [(key: Windowed<K>, value: V, timestamp: Int64)] = []
        // Whether a window is closed depends on its end only.
        while let end = ends.first, let bucket = held[end], let any = bucket.first, isClosed(any.value.key.window) {
            // Keys sort as a concrete type; sorting the (key, generic value) pairs is several times slower.
            for k in bucket.keys.sorted() {
                let h = bucket[k]!
                released.append((h.key, h.value, h.timestamp))
                try store.put(k.bytes, nil)
            }
            held[end] = nil
            ends.removeFirst()
        }
        return released
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

    private func loadIfNeeded() throws {
        guard !loaded else { return }
        loaded = true
        var failure: (any Error)?
        try store.scan(from: nil, to: nil) { key, value in
            do {
                let windowed = try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: key[8...]))
                let (timestamp, bytes) = StoreEncoding.splitTimestamped(value)
                let end = windowed.window.end
                if held[end] == nil { remember(end) }
                held[end, default: [:]][StoreKey(Array(key))] = Held(key: windowed, value: try valueSerde.deserialize(bytes), timestamp: timestamp)
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
    }
}
