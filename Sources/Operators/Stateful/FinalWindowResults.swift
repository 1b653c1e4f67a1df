import SluiceTopology

/// The windows of a time-window aggregation that emits on window close
/// (`EmitStrategy.onWindowClose`), indexed by start, so that stream time passing a window's end
/// plus grace finds its entries without a scan.
///
/// A window's result is read from the aggregation's store when it closes, forwarded once, and then
/// deleted from the store. The deletion goes to the changelog (a window created and closed between
/// two commits reaches neither the changelog nor RocksDB), so after a restore the store holds
/// exactly the windows not yet emitted, and the index is rebuilt from it with one scan.
final class FinalWindowResults<K, A>: FinalResults {
    private let state: WindowState<K, A>
    private let size: Int64
    private let isClosed: (Window, Int64) -> Bool
    /// Entry keys of the windows not yet emitted, by window start, ascending. Few starts are open
    /// at once (one or two windows' worth of them per task), and a new one is nearly always the
    /// last, so a sorted array searched from its end beats a dictionary, which hashed every start.
    @exclusivity(unchecked) private var open: [(start: Int64, entries: [StoreKey])] = []
    private var loaded = false

    init(state: WindowState<K, A>, size: Int64, isClosed: @escaping (Window, Int64) -> Bool) {
        self.state = state
        self.size = size
        self.isClosed = isClosed
    }

    /// Whether `emitClosed(by: streamTime)` may find a window to close: asked before each record's
    /// call, which nearly always finds none.
    func mayClose(by streamTime: Int64) -> Bool {
        guard loaded else { return true }
        guard let start = open.first?.start else { return false }
        return isClosed(Window(start: start, end: start + size), streamTime)
    }

    /// A window the aggregation has just created (it had no value). `load` has run.
    func track(start: Int64, entry: StoreKey) {
        var i = open.count
        while i > 0 && open[i - 1].start > start { i -= 1 }
        if i > 0 && open[i - 1].start == start {
            open[i - 1].entries.append(entry)
        } else {
            open.insert((start, [entry]), at: i)
        }
    }

    /// Forwards, oldest window first and in key order within a window, the result of every window
    /// `streamTime` closed, and deletes it from the store.
    func emitClosed(by streamTime: Int64, _ body: (Windowed<K>, A, Int64) -> Void) throws {
        try load()
        while let start = open.first?.start, isClosed(Window(start: start, end: start + size), streamTime) {
            let sorted = Self.sortedByKey(open.removeFirst().entries)
            let window = Window(start: start, end: start + size)
            try state.take(sortedEntries: sorted) { i, value, timestamp in
                body(Windowed(key: try state.key(ofEntry: sorted[i].bytes), window: window), value, timestamp)
            }
        }
    }

    /// One window's entry keys in the store's order. They share their first 8 bytes (the start),
    /// so they are sorted by the next 8 loaded as one integer, with the whole keys compared only on
    /// ties: a sort comparing the keys' arrays read two of them from memory per comparison.
    static func sortedByKey(_ entries: [StoreKey]) -> [StoreKey] {
        var order: [(prefix: UInt64, index: Int)] = []
        order.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() {
            let prefix = entry.bytes.withUnsafeBytes { bytes -> UInt64 in
                var word: UInt64 = 0
                for j in 8..<min(bytes.count, 16) { word |= UInt64(bytes[j]) << (8 * (15 - j)) }
                return word
            }
            order.append((prefix, i))
        }
        order.sort { a, b in
            a.prefix != b.prefix ? a.prefix < b.prefix : entries[a.index] < entries[b.index]
        }
        return order.map { entries[$0.index] }
    }

    /// Indexes the windows the store holds, once, before the aggregation writes anything: after
    /// a restore, those not yet emitted.
    func load() throws {
        guard !loaded else { return }
        open = []
        try state.store.scan(from: nil, to: nil) { key, _ in
            track(start: StoreEncoding.time(key, at: 0), entry: StoreKey(Array(key)))
            return true
        }
        loaded = true
    }
}
