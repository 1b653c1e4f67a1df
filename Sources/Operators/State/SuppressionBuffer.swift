import SluiceTopology

/// Held-back window results, ordered by window end: `[window end][windowed key]` → timestamped value.
final class SuppressionBuffer<K, V> {
    let store: StateStore
    private let keySerde: any Serde<Windowed<K>>
    private let valueSerde: any Serde<V>
    /// The smallest window end held, once known (`nil`: unknown, e.g. after a restore). Most
    /// records close no window: this lets them skip the scan.
    private var earliestEnd: Int64?
    /// Every result up to this end has been released: scans start here, past the deletions they
    /// left (a scan from the start would walk every deleted key again, quadratically).
    private var releasedUpTo: [UInt8]?

    init(_ store: StateStore, key: any Serde<Windowed<K>>, value: any Serde<V>) {
        self.store = store
        self.keySerde = key
        self.valueSerde = value
    }

    private func bufferKey(_ key: Windowed<K>) throws -> [UInt8] {
        var bytes: [UInt8] = []
        StoreEncoding.appendTime(key.window.end, to: &bytes)
        guard try keySerde.serialize(key, into: &bytes) else { throw SerdeError("a windowed key must not be null") }
        return bytes
    }

    /// Holds `value` as the window's latest result (`nil` drops what was held).
    func hold(_ key: Windowed<K>, _ value: V?, timestamp: Int64) throws {
        let k = try bufferKey(key)
        guard let value else { return try store.put(k, nil) }
        if let earliest = earliestEnd, key.window.end < earliest { earliestEnd = key.window.end }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: timestamp.bigEndian) { bytes.append(contentsOf: $0) }
        _ = try valueSerde.serialize(value, into: &bytes)
        try store.put(k, bytes)
    }

    /// Removes and returns, oldest window end first, the results whose windows `isClosed` says are closed.
    func release(while isClosed: (Window) -> Bool) throws -> [(key: Windowed<K>, value: V, timestamp: Int64)] {
        // Whether a window is closed depends on its end only: nothing to do below the earliest end.
        if let earliest = earliestEnd, !isClosed(Window(start: earliest, end: earliest)) { return [] }
        var released: [(key: Windowed<K>, value: V, timestamp: Int64)] = []
        var keys: [[UInt8]] = []
        var failure: (any Error)?
        var nextEnd: Int64?
        try store.scan(from: releasedUpTo, to: nil) { key, value in
            do {
                let windowed = try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: key[8...]))
                guard isClosed(windowed.window) else {
                    nextEnd = windowed.window.end
                    return false
                }
                let (timestamp, bytes) = StoreEncoding.splitTimestamped(value)
                released.append((windowed, try valueSerde.deserialize(bytes), timestamp))
                keys.append(Array(key))
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        for k in keys { try store.put(k, nil) }
        if let last = keys.last { releasedUpTo = Array(last[..<8]) }
        earliestEnd = nextEnd ?? .max
        return released
    }
}
