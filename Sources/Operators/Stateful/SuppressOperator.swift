import SluiceTopology

/// Holds each window's latest result until the window closes, then forwards it once (Kafka
/// Streams' `Suppressed.untilWindowCloses`). Its stream time is the largest timestamp it has seen,
/// so a silent key's window still closes once records of other keys move time on.
final class SuppressOperator<K, V>: Processor {
    private let context: TaskContext
    private let counters: OperatorCounters
    private let buffer: SuppressionBuffer<K, V>
    private let isClosed: @Sendable (Window, Int64) -> Bool
    private let downstream: any Processor<Windowed<K>, Change<V>>
    private var streamTime: Int64 = .min

    init(
        context: TaskContext, node: NodeInfo, buffer: SuppressionBuffer<K, V>, isClosed: @escaping @Sendable (Window, Int64) -> Bool,
        downstream: any Processor<Windowed<K>, Change<V>>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.buffer = buffer
        self.isClosed = isClosed
        self.downstream = downstream
        context.onCommit { [unowned self] in try self.buffer.flush() }
        context.onStreamTimeAdvance { [unowned self] in
            streamTime = max(streamTime, context.streamTime)
            release()
        }
    }

    // Specialised for the results of `WindowAggregation`'s specialised keys and aggregates.
    @_specialize(where K == String, V == Int64)
    @_specialize(where K == Int64, V == Int64)
    func process(_ key: Windowed<K>, _ change: Change<V>, _ attributes: RecordAttributes) {
        counters.received += 1
        streamTime = max(streamTime, context.streamTime(reachedBy: attributes.timestamp))
        do {
            try buffer.load()
            if isClosed(key.window, streamTime) {
                // Too late to hold: the window closed before this update (its aggregation let it
                // through only because its own stream time lags ours). Counted, not emitted again.
                counters.filtered += 1
            } else {
                // An update is held; a deletion (a session merged away) drops what was held.
                try buffer.hold(key, change.new, timestamp: attributes.timestamp)
                counters.filtered += 1
            }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        release()
    }

    /// Forwards the results of the windows stream time closed.
    private func release() {
        let time = streamTime
        buffer.release(while: { isClosed($0, time) }) { key, value, timestamp in
            counters.emitted += 1
            downstream.process(key, Change(new: value, old: nil), RecordAttributes(timestamp: timestamp))
        }
    }
}
