import SluiceTopology

/// A windowed stream-stream join (Kafka Streams' `KStreamKStreamJoin`), both sides in one object
/// so they share one stream time: the largest timestamp either side has seen.
///
/// A record is stored in its side's window, then joined with every record of the other side of
/// its key within the window (bounds inclusive). A record whose window closed before it arrived
/// (its far end plus grace is behind stream time) is late: dead-lettered. In left and outer joins,
/// a record without a partner waits in the outer buffer and is emitted joined with `nil` only once
/// its window closes; a partner arriving before then takes it out.
///
/// Counters: `forwarded` counts records that found a partner on arrival, `filtered` those that did
/// not (yet), `emitted` every result, including those the outer buffer releases later.
final class StreamStreamJoinOperator<K, VL, VR, VOut> {
    private let context: TaskContext
    let counters: OperatorCounters
    private let kind: JoinKind
    private let windows: JoinWindows
    private let left: JoinWindowState<K, VL>
    private let right: JoinWindowState<K, VR>
    private let outer: OuterJoinBuffer<K, VL, VR>?
    private let joiner: @Sendable (VL?, VR?) throws -> VOut
    private let downstream: any Processor<K, VOut>
    private var streamTime: Int64 = .min

    init(
        context: TaskContext, node: NodeInfo, kind: JoinKind, windows: JoinWindows, left: JoinWindowState<K, VL>,
        right: JoinWindowState<K, VR>, outer: OuterJoinBuffer<K, VL, VR>?, joiner: @escaping @Sendable (VL?, VR?) throws -> VOut,
        downstream: any Processor<K, VOut>
    ) {
        self.context = context
        self.counters = context.counters(for: node)
        self.kind = kind
        self.windows = windows
        self.left = left
        self.right = right
        self.outer = outer
        self.joiner = joiner
        self.downstream = downstream
        context.onCommit { [unowned self] in
            guard streamTime != .min else { return }
            let cutoff = streamTime - windows.retention
            try left.expire(before: cutoff)
            try right.expire(before: cutoff)
        }
        context.onStreamTimeAdvance { [unowned self] in
            guard context.streamTime > streamTime else { return }
            streamTime = context.streamTime
            _ = releaseClosed()
        }
    }

    /// Whether the window of a record of `side` at `time` has closed: no partner can come any more.
    private func isClosed(_ side: OuterJoinBuffer<K, VL, VR>.Side, _ time: Int64) -> Bool {
        let reach = side == .left ? windows.after : windows.before
        return time + reach + windows.grace < streamTime
    }

    func processLeft(_ key: K, _ value: VL, _ attributes: RecordAttributes) {
        counters.received += 1
        let t = attributes.timestamp
        guard advance(to: t, side: .left) else { return }
        var results: [(VOut, Int64)] = []
        do {
            let prefix = try left.prefix(key)
            try left.add(prefix, time: t, value)
            for other in try right.fetch(prefix, from: t - windows.before, to: t + windows.after) {
                results.append((try joiner(value, other.value), max(t, other.time)))
                try outer?.remove(.right, prefix, time: other.time)
            }
            if results.isEmpty, kind != .inner { try outer?.holdLeft(prefix, time: t, value) }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        emit(key, results, attributes)
    }

    func processRight(_ key: K, _ value: VR, _ attributes: RecordAttributes) {
        counters.received += 1
        let t = attributes.timestamp
        guard advance(to: t, side: .right) else { return }
        var results: [(VOut, Int64)] = []
        do {
            let prefix = try right.prefix(key)
            try right.add(prefix, time: t, value)
            for other in try left.fetch(prefix, from: t - windows.after, to: t + windows.before) {
                results.append((try joiner(other.value, value), max(t, other.time)))
                try outer?.remove(.left, prefix, time: other.time)
            }
            if results.isEmpty, kind == .outer { try outer?.holdRight(prefix, time: t, value) }
        } catch {
            counters.deadLettered += 1
            return context.deadLetter(error, at: counters.node)
        }
        emit(key, results, attributes)
    }

    /// Moves stream time, dead-letters a late record, and releases what the move closed.
    /// - Returns: whether the record is to be joined.
    private func advance(to t: Int64, side: OuterJoinBuffer<K, VL, VR>.Side) -> Bool {
        let reached = context.streamTime(reachedBy: t)
        let advanced = reached > streamTime
        if advanced { streamTime = reached }
        if isClosed(side, t) {
            counters.deadLettered += 1
            let window = side == .left ? Window(start: t - windows.before, end: t + windows.after) : Window(start: t - windows.after, end: t + windows.before)
            context.deadLetter(LateRecordError(timestamp: t, window: window, streamTime: streamTime), at: counters.node)
            return false
        }
        return advanced ? releaseClosed() : true
    }

    /// Emits, joined with `nil`, the held records whose windows closed.
    /// - Returns: `false` when that failed (and the current record went to the dead-letter topic).
    private func releaseClosed() -> Bool {
        guard let outer else { return true }
        let released: [(key: K, time: Int64, left: VL?, right: VR?)]
        var joined: [(K, VOut, Int64)] = []
        do {
            released = try outer.release(streamTime: streamTime) { isClosed($0, $1) }
            for r in released { joined.append((r.key, try joiner(r.left, r.right), r.time)) }
        } catch {
            // The buffer is unreadable or the joiner refused a held record: the record (or
            // watermark) that moved time carries the error to the dead-letter topic.
            counters.deadLettered += 1
            context.deadLetter(error, at: counters.node)
            return false
        }
        for (k, v, time) in joined {
            counters.emitted += 1
            downstream.process(k, v, RecordAttributes(timestamp: time))
        }
        return true
    }

    private func emit(_ key: K, _ results: [(VOut, Int64)], _ attributes: RecordAttributes) {
        if results.isEmpty {
            counters.filtered += 1
            return
        }
        counters.forwarded += 1
        for (value, time) in results {
            counters.emitted += 1
            downstream.process(key, value, RecordAttributes(timestamp: time, headers: attributes.headers))
        }
    }
}

/// The left input of a stream-stream join.
final class StreamJoinLeft<K, VL, VR, VOut>: Processor {
    let join: StreamStreamJoinOperator<K, VL, VR, VOut>
    init(_ join: StreamStreamJoinOperator<K, VL, VR, VOut>) { self.join = join }
    func process(_ key: K, _ value: VL, _ attributes: RecordAttributes) { join.processLeft(key, value, attributes) }
}

/// The right input of a stream-stream join.
final class StreamJoinRight<K, VL, VR, VOut>: Processor {
    let join: StreamStreamJoinOperator<K, VL, VR, VOut>
    init(_ join: StreamStreamJoinOperator<K, VL, VR, VOut>) { self.join = join }
    func process(_ key: K, _ value: VR, _ attributes: RecordAttributes) { join.processRight(key, value, attributes) }
}
