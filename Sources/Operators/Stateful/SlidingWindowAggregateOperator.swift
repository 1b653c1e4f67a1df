import SluiceTopology

/// Aggregates per key and sliding window, with Kafka Streams' semantics (`KStreamSlidingWindowAggregate`).
///
/// Windows are `[start, start + d]` with both ends inclusive, and exist only where they hold records:
/// each record gets a window ending at it (its "left" window) and, when later records of the key
/// lie within `d` after it, a window starting just after it (its "right" window). Every window a
/// record falls in takes it. A window's stored value carries the newest timestamp it holds.
final class SlidingWindowAggregateOperator<K, V, A>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: WindowState<K, A>
    private let d: Int64
    private let grace: Int64
    private let aggregator: @Sendable (K, V, A?) throws -> A
    private let downstream: any Processor<Windowed<K>, Change<A>>
    private var streamTime: Int64 = .min

    init(
        context: TaskContext, node: NodeInfo, state: WindowState<K, A>, windows: SlidingWindows,
        aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.d = windows.timeDifference
        self.grace = windows.grace
        self.aggregator = aggregator
        self.downstream = downstream
        context.onCommit { [unowned self] in
            guard streamTime != .min else { return }
            try state.expire(before: streamTime - state.retention)
        }
    }

    /// One aggregation step, collected and forwarded after the store is updated.
    private struct Update {
        var window: Window
        var change: Change<A>
        var timestamp: Int64
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let ts = attributes.timestamp
        streamTime = max(streamTime, context.streamTime(reachedBy: ts))
        let closeTime = streamTime - grace
        if ts + d < closeTime {
            counters.deadLettered += 1
            return context.deadLetter(LateRecordError(timestamp: ts, window: Window(start: ts, end: ts + d), streamTime: streamTime), at: counters.node)
        }
        var updates: [Update] = []
        do {
            let prefix = try state.prefix(key)
            if ts < d {
                try processEarly(key, value, ts, prefix, closeTime, &updates)
            } else {
                try processInOrder(key, value, ts, prefix, closeTime, &updates)
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        for u in updates {
            downstream.process(Windowed(key: key, window: u.window), u.change, RecordAttributes(timestamp: u.timestamp, headers: attributes.headers))
        }
    }

    private func processInOrder(_ key: K, _ value: V, _ ts: Int64, _ prefix: [UInt8], _ closeTime: Int64, _ updates: inout [Update]) throws {
        var starts = Set<Int64>()
        var leftAgg: (value: A, timestamp: Int64)?
        var rightAgg: (value: A, timestamp: Int64)?
        var leftCreated = false
        var rightCreated = false
        var previousTimestamp: Int64?
        for w in try state.fetchRange(prefix, from: max(0, ts - 2 * d), to: ts + 1) {
            starts.insert(w.start)
            let end = w.start + d
            if end < ts {
                leftAgg = (w.value, w.timestamp)
                previousTimestamp = w.timestamp
            } else if end == ts {
                leftCreated = true
                if w.timestamp < ts { previousTimestamp = w.timestamp }
                try update(Window(start: w.start, end: end), (w.value, w.timestamp), key, value, ts, prefix, closeTime, &updates)
            } else if w.start <= ts {
                rightAgg = (w.value, w.timestamp)
                try update(Window(start: w.start, end: end), (w.value, w.timestamp), key, value, ts, prefix, closeTime, &updates)
            } else if w.start == ts + 1 {
                rightCreated = true
            }
        }
        if let previous = previousTimestamp, !starts.contains(previous + 1), previous + 1 + d >= ts {
            try update(Window(start: previous + 1, end: previous + 1 + d), nil, key, value, ts, prefix, closeTime, &updates, isNew: true)
        }
        if !leftCreated {
            let leftNotEmpty = previousTimestamp.map { ts - d <= $0 } ?? false
            let seed: (value: A, timestamp: Int64)? = leftNotEmpty ? leftAgg.map { ($0.value, ts) } : nil
            try update(Window(start: ts - d, end: ts), seed, key, value, ts, prefix, closeTime, &updates, isNew: true)
        }
        if !rightCreated, let right = rightAgg, right.timestamp > ts {
            try createRightWindow(ts, right, key, prefix, &updates)
        }
    }

    /// Records earlier than `d` would make windows starting before 0: they share `[0, d]` instead.
    private func processEarly(_ key: K, _ value: V, _ ts: Int64, _ prefix: [UInt8], _ closeTime: Int64, _ updates: inout [Update]) throws {
        var combined: (value: A, timestamp: Int64)?
        var rightAgg: (value: A, timestamp: Int64)?
        var rightCreated = false
        var starts = Set<Int64>()
        var previousTimestamp: Int64?
        for w in try state.fetchRange(prefix, from: 0, to: ts + 1) {
            starts.insert(w.start)
            if w.start == 0 {
                combined = (w.value, w.timestamp)
                if w.timestamp < ts { previousTimestamp = w.timestamp }
            } else if w.start <= ts {
                rightAgg = (w.value, w.timestamp)
                try update(Window(start: w.start, end: w.start + d), (w.value, w.timestamp), key, value, ts, prefix, closeTime, &updates)
            } else if w.start == ts + 1 {
                rightCreated = true
            }
        }
        if rightAgg == nil, let c = combined, c.timestamp > ts { rightAgg = c }
        if !rightCreated, let right = rightAgg, right.timestamp > ts {
            try createRightWindow(ts, right, key, prefix, &updates)
        }
        if let previous = previousTimestamp, !starts.contains(previous + 1) {
            try update(Window(start: previous + 1, end: previous + 1 + d), nil, key, value, ts, prefix, closeTime, &updates, isNew: true)
        }
        try update(Window(start: 0, end: d), combined, key, value, ts, prefix, closeTime, &updates, isNew: combined == nil)
    }

    /// The window starting just after the record: it holds what the window the record fell in held
    /// after the record's time, so its aggregate is that window's, not a new one.
    private func createRightWindow(_ ts: Int64, _ agg: (value: A, timestamp: Int64), _ key: K, _ prefix: [UInt8], _ updates: inout [Update]) throws {
        let window = Window(start: ts + 1, end: ts + 1 + d)
        try state.put(prefix, start: window.start, agg.value, timestamp: agg.timestamp)
        updates.append(Update(window: window, change: Change(new: agg.value, old: nil), timestamp: agg.timestamp))
    }

    /// Adds the record to `window` (starting from `current`, or from nothing) unless the window
    /// closed. A new window (`isNew`) had no value before, even when seeded from its left neighbour.
    private func update(
        _ window: Window, _ current: (value: A, timestamp: Int64)?, _ key: K, _ value: V, _ ts: Int64, _ prefix: [UInt8],
        _ closeTime: Int64, _ updates: inout [Update], isNew: Bool = false
    ) throws {
        guard window.end >= closeTime else { return }
        let new = try aggregator(key, value, current?.value)
        let newTimestamp = current.map { max(ts, $0.timestamp) } ?? ts
        try state.put(prefix, start: window.start, new, timestamp: newTimestamp)
        updates.append(Update(window: window, change: Change(new: new, old: isNew ? nil : current?.value), timestamp: newTimestamp))
    }
}
