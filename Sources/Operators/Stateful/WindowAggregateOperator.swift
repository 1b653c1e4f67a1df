import SluiceTopology

/// Aggregates per key and tumbling or hopping window (Kafka Streams' `KStreamWindowAggregate`).
///
/// Only the aggregator sees the record's value; the windows, the store and the updates are the
/// work of `WindowAggregation`, which depends on the key and aggregate types alone.
final class WindowAggregateOperator<K, V, A>: Processor {
    private let aggregation: WindowAggregation<K, A>
    private let aggregator: @Sendable (K, V, A?) throws -> A

    init(
        context: TaskContext, node: NodeInfo, state: WindowState<K, A>, windows: TimeWindows, emit: EmitStrategy,
        aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        aggregation = WindowAggregation(context: context, node: node, state: state, windows: windows, emit: emit, downstream: downstream)
        self.aggregator = aggregator
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        aggregation.add(key, attributes) { previous in try aggregator(key, value, previous) }
    }
}

/// The windows of a tumbling or hopping aggregation, their store, and the updates they forward:
/// every update, or (`EmitStrategy.onWindowClose`) each window's final result once it closes.
///
/// Stream time is the largest timestamp this aggregation has seen (or, behind a repartition
/// topic, its writers' watermark). A window takes records until stream time reaches its end plus
/// grace; a record whose windows are all closed is late.
final class WindowAggregation<K, A> {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: WindowState<K, A>
    private let windows: TimeWindows
    private let downstream: any Processor<Windowed<K>, Change<A>>
    private var streamTime: Int64 = .min
    /// Emitting on window close: the windows not yet emitted.
    private let final: FinalWindowResults<K, A>?

    init(
        context: TaskContext, node: NodeInfo, state: WindowState<K, A>, windows: TimeWindows, emit: EmitStrategy,
        downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.windows = windows
        self.downstream = downstream
        switch emit {
        case .onWindowUpdate: final = nil
        case .onWindowClose: final = FinalWindowResults(state: state, size: windows.size) { windows.isClosed($0, streamTime: $1) }
        }
        if final == nil {
            context.onCommit { [unowned self] in
                guard streamTime != .min else { return }
                try state.expire(before: streamTime - state.retention)
            }
        } else {
            // Emitting on close deletes each window as it closes, logged, so that a restore does not
            // bring it back to be emitted again; expiry (a range deletion, not logged) would drop
            // those deletions. Every window it would expire has been emitted and deleted already.
            //
            // Behind a repartition topic, a watermark closes windows without a record.
            context.onStreamTimeAdvance { [unowned self] in
                streamTime = max(streamTime, context.streamTime)
                emitClosed()
            }
        }
    }

    /// Forwards the final result of every window stream time has closed (emitting on close).
    private func emitClosed() {
        guard let final, final.mayClose(by: streamTime) else { return }
        final.forward(by: streamTime, context: context, counters: counters, to: downstream)
    }

    /// Folds a record of `key` into each of its open windows with `aggregate`.
    ///
    /// The operators are built at run time from the user's types, so the compiler cannot
    /// specialise them for those types, and generic code looks up type metadata for every
    /// `Windowed<K>`, `Change<A>` and optional it makes (about a tenth of a windowed count's
    /// thread). Counts and sums by string or integer key, the commonest aggregations, get bodies
    /// specialised here, chosen by a type check on entry.
    @_specialize(where K == String, A == Int64)
    @_specialize(where K == Int64, A == Int64)
    func add(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        update(key, attributes, aggregate)
    }

    // Apart from `add`, so that `add`'s generic entry, which picks the specialised body, needs
    // no metadata but K's and A's: with the body inline it first looked up that of every type the
    // body uses (4.7% of a windowed count's thread).
    @inline(never)
    private func update(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        counters.received += 1
        let timestamp = attributes.timestamp
        streamTime = max(streamTime, context.streamTime(reachedBy: timestamp))
        // The windows holding `timestamp` start every `advance` from `first` to `last`; they end in
        // the same order, so the open ones are those from the first open start on.
        let size = windows.size
        let advance = windows.advance
        let first = (max(0, timestamp - size + advance) / advance) * advance
        let last = first + (timestamp - first) / advance * advance
        var start = first
        while start <= last && windows.isClosed(Window(start: start, end: start + size), streamTime: streamTime) { start += advance }
        guard start <= last else {
            counters.deadLettered += 1
            context.deadLetter(
                LateRecordError(timestamp: timestamp, window: Window(start: last, end: last + size), streamTime: streamTime), at: counters.node)
            return emitClosed()
        }
        // Emitting updates, each window's result goes on as soon as it is stored (as Kafka Streams
        // does), so what downstream saw always matches the store, even if a later window's
        // aggregator throws. Emitting on close, a new window is indexed instead.
        do {
            try final?.load()
            var bytes = try state.entryKey(key, start: start)
            while start <= last {
                let entry = StoreKey(bytes)
                var previousTimestamp = Int64.min
                let previous = try state.fetch(entry: entry, timestamp: &previousTimestamp)
                let new = try aggregate(previous)
                let newTimestamp = max(timestamp, previousTimestamp)
                try state.put(entry: entry, start: start, new, timestamp: newTimestamp, isNew: previous == nil)
                if let final {
                    if previous == nil { final.track(start: start, entry: entry) }
                } else {
                    downstream.process(
                        Windowed(key: key, window: Window(start: start, end: start + size)), Change(new: new, old: previous),
                        RecordAttributes(timestamp: newTimestamp, headers: attributes.headers))
                }
                start += advance
                if start <= last { bytes = state.entryKey(bytes, movedTo: start) }
            }
        } catch {
            counters.deadLettered += 1
            context.deadLetter(error, at: counters.node)
            return emitClosed()
        }
        counters.forwarded += 1
        emitClosed()
    }
}
