import SluiceTopology

/// Aggregates per key and session (Kafka Streams' `KStreamSessionWindowAggregate`). Only the
/// aggregator sees the record's value: the sessions are `SessionAggregation`'s.
final class SessionWindowAggregateOperator<K, V, A>: Processor {
    private let aggregation: SessionAggregation<K, A>
    private let aggregator: @Sendable (K, V, A?) throws -> A

    init(
        context: TaskContext, node: NodeInfo, state: SessionState<K, A>, windows: SessionWindows, emit: EmitStrategy,
        aggregator: @escaping @Sendable (K, V, A?) throws -> A, merger: @escaping @Sendable (K, A, A) throws -> A,
        downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        aggregation = SessionAggregation(
            context: context, node: node, state: state, windows: windows, emit: emit, merger: merger, downstream: downstream)
        self.aggregator = aggregator
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        aggregation.add(key, attributes) { merged in try aggregator(key, value, merged) }
    }
}

/// The sessions of a session aggregation: a record joins every session of its key within the
/// inactivity gap; those sessions merge into one, are deleted (their keys forwarded with no new
/// value) and replaced by the merged session. Emitting on window close, nothing is forwarded until
/// stream time closes a session; then its final result goes on, once.
///
/// A session closes when its end plus gap plus grace falls behind stream time, as Kafka Streams
/// decides it. A record in time may still fall within a gap of a closed session's end: Kafka
/// Streams would merge the two and emit the merged session as well, counting the first one's
/// records twice. Here an emitted session is gone from the store, so that record joins only the
/// sessions still open, and every record is in exactly one emitted result.
final class SessionAggregation<K, A> {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: SessionState<K, A>
    private let windows: SessionWindows
    private let merger: @Sendable (K, A, A) throws -> A
    private let downstream: any Processor<Windowed<K>, Change<A>>
    private var streamTime: Int64 = .min
    /// Emitting on window close: the sessions not yet emitted.
    private let final: FinalSessionResults<K, A>?

    init(
        context: TaskContext, node: NodeInfo, state: SessionState<K, A>, windows: SessionWindows, emit: EmitStrategy,
        merger: @escaping @Sendable (K, A, A) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.windows = windows
        self.merger = merger
        self.downstream = downstream
        switch emit {
        case .onWindowUpdate: final = nil
        case .onWindowClose: final = FinalSessionResults(state: state) { windows.isClosed($0, streamTime: $1) }
        }
        if final == nil {
            context.onCommit { [unowned self] in
                guard streamTime != .min else { return }
                try state.expire(before: streamTime - windows.gap - windows.grace)
            }
        } else {
            // As for windows (`WindowAggregation`): each session is deleted, logged, as it is emitted,
            // which is what expiry would do; and behind a repartition topic a watermark closes sessions.
            context.onStreamTimeAdvance { [unowned self] in
                streamTime = max(streamTime, context.streamTime)
                emitClosed()
            }
        }
    }

    /// Forwards the final result of every session stream time has closed (emitting on close).
    private func emitClosed() {
        final?.forward(by: streamTime, context: context, counters: counters, to: downstream)
    }

    /// Folds a record of `key` into its merged session with `aggregate`. Specialised for counts
    /// and sums by the commonest key types, as `WindowAggregation.add` is (it says why).
    @_specialize(where K == String, A == Int64)
    @_specialize(where K == Int64, A == Int64)
    func add(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        update(key, attributes, aggregate)
    }

    // Apart from `add` for the reason `WindowAggregation.update` gives.
    @inline(never)
    private func update(_ key: K, _ attributes: RecordAttributes, _ aggregate: (A?) throws -> A) {
        counters.received += 1
        let ts = attributes.timestamp
        streamTime = max(streamTime, context.streamTime(reachedBy: ts))
        let closeTime = streamTime - windows.grace - windows.gap
        var merged = Window(start: ts, end: ts)
        var aggregated: A?
        var removed: [(Window, A)] = []
        let result: A
        do {
            try final?.load()
            let prefix = try state.prefix(key)
            for session in try state.find(prefix, earliestEnd: ts - windows.gap, latestStart: ts + windows.gap) {
                removed.append((session.window, session.value))
                aggregated = try aggregated.map { try merger(key, $0, session.value) } ?? session.value
                merged = Window(start: min(merged.start, session.window.start), end: max(merged.end, session.window.end))
            }
            if merged.end < closeTime {
                counters.deadLettered += 1
                context.deadLetter(LateRecordError(timestamp: ts, window: merged, streamTime: streamTime), at: counters.node)
                return emitClosed()
            }
            if merged != Window(start: ts, end: ts) {
                for (window, _) in removed { try state.put(prefix, window, nil) }
            }
            result = try aggregate(aggregated)
            try state.put(prefix, merged, result)
            if let final, !removed.contains(where: { $0.0 == merged }) { final.track(prefix: prefix, merged) }
        } catch {
            counters.deadLettered += 1
            context.deadLetter(error, at: counters.node)
            return emitClosed()
        }
        counters.forwarded += 1
        guard final == nil else { return emitClosed() }
        let attrs = RecordAttributes(timestamp: ts, headers: attributes.headers)
        if merged != Window(start: ts, end: ts) {
            for (window, old) in removed { downstream.process(Windowed(key: key, window: window), Change(new: nil, old: old), attrs) }
        }
        downstream.process(Windowed(key: key, window: merged), Change(new: result, old: nil), attrs)
    }
}
