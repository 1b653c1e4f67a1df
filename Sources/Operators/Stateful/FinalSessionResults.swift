import SluiceTopology

/// The sessions of a session aggregation that emits on window close (`EmitStrategy.onWindowClose`),
/// indexed by end, so that stream time closing a session finds it without a scan.
///
/// A session that a record merges into a larger one stays indexed under its old end; when that end
/// closes, the store no longer holds it and it is skipped. An emitted session is deleted from the
/// store with a logged deletion, as `FinalWindowResults` does for windows, so a restore holds
/// exactly the sessions not yet emitted and the index is rebuilt from it with one scan.
final class FinalSessionResults<K, A>: FinalResults {
    private let state: SessionState<K, A>
    private let isClosed: (Window, Int64) -> Bool
    /// Key prefixes and starts of the sessions not yet emitted (or merged away since), by end.
    @exclusivity(unchecked) private var byEnd: [Int64: [(prefix: [UInt8], start: Int64)]] = [:]
    /// The ends in `byEnd`, ascending from `head`: sessions close in the order of their ends, and
    /// the ends before `head` are emitted ones, dropped now and then rather than one at a time.
    private var ends: [Int64] = []
    private var head = 0
    private var loaded = false

    init(state: SessionState<K, A>, isClosed: @escaping (Window, Int64) -> Bool) {
        self.state = state
        self.isClosed = isClosed
    }

    /// A session the aggregation has just written under a window it did not have. `load` has run.
    func track(prefix: [UInt8], _ window: Window) {
        if byEnd[window.end] == nil { insertEnd(window.end) }
        byEnd[window.end, default: []].append((prefix, window.start))
    }

    /// Forwards, by end and in key order within an end, every session `streamTime` closed, with
    /// its end as the timestamp (its newest record's), and deletes it from the store.
    func emitClosed(by streamTime: Int64, _ body: (Windowed<K>, A, Int64) -> Void) throws {
        try load()
        while head < ends.count, isClosed(Window(start: ends[head], end: ends[head]), streamTime) {
            let end = ends[head]
            head += 1
            let closed = (byEnd.removeValue(forKey: end) ?? []).sorted {
                let order = compareArrays($0.prefix, $1.prefix)
                return order < 0 || (order == 0 && $0.start < $1.start)
            }
            for session in closed {
                let window = Window(start: session.start, end: end)
                // Merged away, or indexed twice (a session written again under the same window).
                guard let value = try state.get(session.prefix, window) else { continue }
                body(Windowed(key: try state.key(ofPrefix: session.prefix), window: window), value, end)
                try state.put(session.prefix, window, nil)
            }
        }
        if head > 1_024 && head * 2 > ends.count {
            ends.removeFirst(head)
            head = 0
        }
    }

    private func insertEnd(_ end: Int64) {
        var i = ends.count
        while i > head && ends[i - 1] > end { i -= 1 }  // ends mostly arrive in order
        ends.insert(end, at: i)
    }

    /// Indexes the sessions the store holds, once, before the aggregation writes anything: after a
    /// restore, those not yet emitted.
    func load() throws {
        guard !loaded else { return }
        byEnd = [:]
        ends = []
        head = 0
        try state.forEachSession { prefix, window in track(prefix: prefix, window) }
        loaded = true
    }
}
