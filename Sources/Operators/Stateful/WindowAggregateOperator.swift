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
            return context.deadLetter(
                LateRecordError(timestamp: timestamp, window: Window(start: last, end: last + size), streamTime: streamTime), at: counters.node)
        }
        // Each window's result goes on as soon as it is stored (as Kafka Streams does), so what
        // downstream saw always matches the store, even if a later window's aggregator throws.
        do {
            let prefix = try state.prefix(key)
            while start <= last {
                let entry = state.entryKey(prefix, start: start)
                let previous = try state.fetch(entry: entry)
                let new = try aggregator(key, value, previous?.value)
                let newTimestamp = max(timestamp, previous?.timestamp ?? .min)
                try state.put(entry: entry, start: start, new, timestamp: newTimestamp, isNew: previous == nil)
                downstream.process(
                    Windowed(key: key, window: Window(start: start, end: start + size)), Change(new: new, old: previous?.value),
                    RecordAttributes(timestamp: newTimestamp, headers: attributes.headers))
                start += advance
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        counters.forwarded += 1
    }
}
