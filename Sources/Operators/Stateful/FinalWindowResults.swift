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
    /// Entry keys of the windows not yet emitted, by window start.
    @exclusivity(unchecked) private var entries: [Int64: [[UInt8]]] = [:]
    /// The starts in `entries`, ascending.
    private var starts: [Int64] = []
    private var loaded = false

    init(state: WindowState<K, A>, size: Int64, isClosed: @escaping (Window, Int64) -> Bool) {
        self.state = state
        self.size = size
        self.isClosed = isClosed
    }

    /// A window the aggregation has just created (it had no value). `load` has run.
    func track(start: Int64, entry: [UInt8]) {
        if entries[start] == nil { insertStart(start) }
        entries[start, default: []].append(entry)
    }

    /// Forwards, oldest window first and in key order within a window, the result of every window
    /// `streamTime` closed, and deletes it from the store.
    func emitClosed(by streamTime: Int64, _ body: (Windowed<K>, A, Int64) -> Void) throws {
        try load()
        while let start = starts.first, isClosed(Window(start: start, end: start + size), streamTime) {
            starts.removeFirst()
            let closed = entries.removeValue(forKey: start) ?? []
            let window = Window(start: start, end: start + size)
            let sorted = closed.sorted { compareArrays($0, $1) < 0 }
            for (entry, result) in zip(sorted, try state.fetch(sortedEntries: sorted)) {
                guard let (value, timestamp) = result else { continue }
                body(Windowed(key: try state.key(ofEntry: entry), window: window), value, timestamp)
                try state.remove(entry: entry)
            }
        }
    }

    private func insertStart(_ start: Int64) {
        var i = starts.count
        while i > 0 && starts[i - 1] > start { i -= 1 }  // starts mostly arrive in order
        starts.insert(start, at: i)
    }

    /// Indexes the windows the store holds, once, before the aggregation writes anything: after
    /// a restore, those not yet emitted.
    func load() throws {
        guard !loaded else { return }
        entries = [:]
        starts = []
        try state.store.scan(from: nil, to: nil) { key, _ in
            let start = StoreEncoding.time(key, at: 0)
            if entries[start] == nil { insertStart(start) }
            entries[start, default: []].append(Array(key))
            return true
        }
        loaded = true
    }
}
