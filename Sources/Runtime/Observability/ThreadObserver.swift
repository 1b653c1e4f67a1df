import CoreMetrics

/// A stream thread's timing of its micro-batches, per sub-topology, and of its commit steps.
///
/// The batch loop calls `enter(_:)` with each record's sub-topology: an integer comparison, and a
/// clock read only when the sub-topology changes, so the per-record path stays cheap and
/// allocation-free; the histograms are written once per batch (DESIGN.md §3).
/// - Important: owned by one stream thread.
final class ThreadObserver {
    private let metrics: WorkerMetrics
    private let timers: [CoreMetrics.Timer]
    /// Nanoseconds each sub-topology spent in this batch.
    private let spent: UnsafeMutablePointer<Int64>
    private let count: Int
    @exclusivity(unchecked) private var current = -1
    @exclusivity(unchecked) private var since = ContinuousClock.now

    init(metrics: WorkerMetrics, subtopologies: Int) {
        self.metrics = metrics
        count = subtopologies
        timers = (0..<subtopologies).map { metrics.processTimer(subtopology: $0) }
        spent = .allocate(capacity: max(subtopologies, 1))
        spent.initialize(repeating: 0, count: max(subtopologies, 1))
    }

    deinit { spent.deallocate() }

    /// A batch begins.
    @inline(__always) func batchStarted() { current = -1 }

    /// The next record belongs to `subtopology` (`-1`: none, it is skipped).
    @inline(__always) func enter(_ subtopology: Int) {
        if subtopology != current { switchTo(subtopology) }
    }

    /// The batch is done: one histogram observation per sub-topology that had records.
    func batchEnded() {
        switchTo(-1)
        for i in 0..<count where spent[i] > 0 {
            timers[i].recordNanoseconds(spent[i])
            spent[i] = 0
        }
    }

    /// A commit step that began at `started` has completed.
    func committed(since started: ContinuousClock.Instant) {
        metrics.recordCommit(nanoseconds: (ContinuousClock.now - started).nanoseconds)
    }

    private func switchTo(_ subtopology: Int) {
        let now = ContinuousClock.now
        if current >= 0 && current < count { spent[current] += (now - since).nanoseconds }
        current = subtopology
        since = now
    }
}

@available(*, unavailable)
extension ThreadObserver: Sendable {}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : ns &+ attoseconds / 1_000_000_000
    }
}
