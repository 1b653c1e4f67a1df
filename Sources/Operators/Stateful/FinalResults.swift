import SluiceTopology

/// The windows (or sessions) of an aggregation that emits on window close, not yet emitted.
protocol FinalResults<Key, Aggregate> {
    associatedtype Key
    associatedtype Aggregate
    /// Hands `body` every result `streamTime` closed, with its timestamp, and forgets it.
    func emitClosed(by streamTime: Int64, _ body: (Windowed<Key>, Aggregate, Int64) -> Void) throws
}

extension FinalResults {
    /// Forwards every result `streamTime` closed, counted as emitted. A store that cannot be read
    /// stops the task: its results cannot be trusted.
    func forward(
        by streamTime: Int64, context: TaskContext, counters: OperatorCounters, to downstream: any Processor<Windowed<Key>, Change<Aggregate>>
    ) {
        do {
            try emitClosed(by: streamTime) { key, value, timestamp in
                counters.emitted += 1
                downstream.process(key, Change(new: value, old: nil), RecordAttributes(timestamp: timestamp))
            }
        } catch {
            context.fail(error)
        }
    }
}
