import SluiceTopology

/// The sessions of a session aggregation that emits on window close (`EmitStrategy.onWindowClose`),
/// in the order of their ends, so that stream time closing a session finds it without a scan.
///
/// A session that a record merges into a larger one stays listed under its old window; when that
/// window's end closes, the store no longer holds it and it is skipped. An emitted session is
/// deleted from the store with a logged deletion, as `FinalWindowResults` does for windows, so a
/// restore holds exactly the sessions not yet emitted and the list is rebuilt from it with one scan.
final class FinalSessionResults<K, A>: FinalResults {
    private let state: SessionState<K, A>
    private let isClosed: (Window, Int64) -> Bool
    /// Sessions not yet emitted (or merged away since), by end, from `head` on: sessions close in
    /// the order of their ends, and those before `head` are emitted ones, dropped now and then
    /// rather than one at a time.
    private var listed: [(end: Int64, start: Int64, prefix: [UInt8])] = []
    private var head = 0
    private var loaded = false

    init(state: SessionState<K, A>, isClosed: @escaping (Window, Int64) -> Bool) {
        self.state = state
        self.isClosed = isClosed
    }

    /// A session the aggregation has just written under a window it did not have. `load` has run.
    func track(prefix: [UInt8], _ window: Window) {
        var i = listed.count
        while i > head && listed[i - 1].end > window.end { i -= 1 }  // ends mostly arrive in order
        listed.insert((window.end, window.start, prefix), at: i)
    }

    /// Forwards, by end and in key order within an end, every session `streamTime` closed, with
    /// its end as the timestamp (its newest record's), and deletes it from the store.
    func emitClosed(by streamTime: Int64, _ body: (Windowed<K>, A, Int64) -> Void) throws {
        try load()
        while head < listed.count, isClosed(Window(start: listed[head].end, end: listed[head].end), streamTime) {
            let end = listed[head].end
            var next = head + 1
            while next < listed.count && listed[next].end == end { next += 1 }
            let closed = listed[head..<next].sorted {
                let order = compareArrays($0.prefix, $1.prefix)
                return order < 0 || (order == 0 && $0.start < $1.start)
            }
            head = next
            for session in closed {
                let window = Window(start: session.start, end: end)
                // Merged away, or listed twice (a session written again under the same window).
                guard let value = try state.get(session.prefix, window) else { continue }
                body(Windowed(key: try state.key(ofPrefix: session.prefix), window: window), value, end)
                try state.put(session.prefix, window, nil)
            }
        }
        if head > 1_024 && head * 2 > listed.count {
            listed.removeFirst(head)
            head = 0
        }
    }

    /// Lists the sessions the store holds, once, before the aggregation writes anything: after a
    /// restore, those not yet emitted.
    func load() throws {
        guard !loaded else { return }
        listed = []
        head = 0
        try state.forEachSession { prefix, window in listed.append((window.end, window.start, prefix)) }
        listed.sort { $0.end < $1.end }  // the store orders them by key first
        loaded = true
    }
}
