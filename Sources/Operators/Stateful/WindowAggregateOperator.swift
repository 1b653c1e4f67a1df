import SluiceTopology

/// Aggregates per key and tumbling or hopping window (Kafka Streams' `KStreamWindowAggregate`).
///
/// Stream time is the largest timestamp this operator has seen. A window takes records until
/// stream time reaches its end plus grace; a record whose windows are all closed is late.
final class WindowAggregateOperator<K, V, A>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let state: WindowState<K, A>
    private let windows: TimeWindows
    private let aggregator: @Sendable (K, V, A?) throws -> A
    private let downstream: any Processor<Windowed<K>, Change<A>>
    private var streamTime: Int64 = .min

    init(
        context: TaskContext, node: NodeInfo, state: WindowState<K, A>, windows: TimeWindows,
        aggregator: @escaping @Sendable (K, V, A?) throws -> A, downstream: any Processor<Windowed<K>, Change<A>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.state = state
        self.windows = windows
        self.aggregator = aggregator
        self.downstream = downstream
        context.onCommit { [unowned self] in
            guard streamTime != .min else { return }
            try state.expire(before: streamTime - state.retention)
        }
    }

    func process(_ key: K, _ value: V, _ attributes: RecordAttributes) {
        counters.received += 1
        let timestamp = attributes.timestamp
        streamTime = max(streamTime, timestamp)
        let matched = windows.windows(for: timestamp)
        let open = matched.filter { !windows.isClosed($0, streamTime: streamTime) }
        guard !open.isEmpty else {
            counters.deadLettered += 1
            return context.deadLetter(
                LateRecordError(timestamp: timestamp, window: matched.last ?? Window(start: timestamp, end: timestamp), streamTime: streamTime),
                at: counters.node)
        }
        var updates: [(Window, Change<A>, Int64)] = []
        do {
            let prefix = try state.prefix(key)
            for window in open {
                let previous = try state.fetch(prefix, start: window.start)
                let new = try aggregator(key, value, previous?.value)
                let newTimestamp = max(timestamp, previous?.timestamp ?? .min)
                try state.put(prefix, start: window.start, new, timestamp: newTimestamp, isNew: previous == nil)
                updates.append((window, Change(new: new, old: previous?.value), newTimestamp))
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
        for (window, change, t) in updates {
            downstream.process(Windowed(key: key, window: window), change, RecordAttributes(timestamp: t, headers: attributes.headers))
        }
    }
}
