public import SluiceOperators
import SluiceTopology
import Synchronization

/// What a worker's stream threads share with it and with each other: the stop request, the first
/// fatal error, and the counters each thread publishes at every commit step.
final class WorkerState: Sendable {
    let stopRequested = Atomic<Bool>(false)
    /// Input records taken through the operators, by every thread (updated once per batch).
    let processed = Atomic<Int>(0)
    /// When the first batch with records arrived: the group had joined by then.
    let firstRecords = Mutex<ContinuousClock.Instant?>(nil)
    private let fatal = Mutex<StreamsError?>(nil)
    private let published = Mutex<[Int: ThreadSnapshot]>([:])
    /// The worker's metric instruments (the threads' batch and commit timers).
    let metrics: WorkerMetrics
    /// Interactive queries waiting for each stream thread, by thread index.
    let queries: [QueryMailbox]

    init(metrics: WorkerMetrics, threads: Int = 1) {
        self.metrics = metrics
        queries = (0..<max(threads, 1)).map { _ in QueryMailbox() }
    }

    /// Records the first fatal error and asks every thread to stop.
    func fail(_ error: StreamsError) {
        fatal.withLock { if $0 == nil { $0 = error } }
        stopRequested.store(true, ordering: .releasing)
    }

    var failure: StreamsError? { fatal.withLock { $0 } }

    func publish(thread: Int, _ snapshot: ThreadSnapshot) {
        published.withLock { $0[thread] = snapshot }
    }

    /// The thread whose last snapshot holds `task`, running or restoring.
    func thread(holding task: TaskID) -> Int? {
        published.withLock { threads in
            threads.first { $0.value.tasks.contains(task) || $0.value.restoringTasks.contains(task) }?.key
        }
    }

    /// Per thread, the partitions of `subtopology` whose tasks its last snapshot holds.
    func partitions(of subtopology: Int) -> [Int: [Int32]] {
        published.withLock { threads in
            threads.compactMapValues { t in
                let held = (t.tasks + t.restoringTasks).filter { $0.subtopology == subtopology }.map(\.partition)
                return held.isEmpty ? nil : held.sorted()
            }
        }
    }

    /// Every thread's last snapshot, summed.
    var snapshot: WorkerSnapshot {
        let threads = published.withLock { $0 }
        var counts: [String: OperatorCounts] = [:]
        var result = WorkerSnapshot()
        for t in threads.values {
            for c in t.counts { counts[c.node.name] = counts[c.node.name].map { $0 + c } ?? c }
            result.lostRecords += t.lostRecords
            result.commits += t.commits
            result.rewinds += t.rewinds
            result.refusedCommits += t.refusedCommits
            result.transactions += t.transactions
            result.aborts += t.aborts
            result.tasks += t.tasks
            result.restoringTasks += t.restoringTasks
            result.remainingRestore += t.restoring
            result.restoredRecords += t.restoredRecords
            result.rebalances += t.rebalances
            result.observations.merge(t.observations)
        }
        result.threads = threads.mapValues(\.tasks)
        result.assignments = threads.mapValues(\.assigned)
        result.counts = counts
        result.tasks.sort()
        return result
    }
}

/// What one stream thread reports at each commit step.
struct ThreadSnapshot: Sendable {
    var counts: [OperatorCounts] = []
    var tasks: [TaskID] = []
    /// The partitions the group assigned to the thread's consumer.
    var assigned: [TopicPartition] = []
    var restoringTasks: [TaskID] = []
    var lostRecords: Int64 = 0
    var commits = 0
    var rewinds = 0
    var refusedCommits = 0
    var transactions = 0
    var aborts = 0
    var rebalances = 0
    /// Changelog records still to restore.
    var restoring: Int64 = 0
    var restoredRecords = 0
    var lastCommitDuration: Duration = .zero
    var observations = WorkerObservations()
}

/// A worker's progress: counters per operator (summed over tasks and threads) and health.
public struct WorkerSnapshot: Sendable {
    /// Per operator, by node name.
    public var counts: [String: OperatorCounts] = [:]
    /// Tasks the worker runs now.
    public var tasks: [TaskID] = []
    /// Tasks per stream thread.
    public var threads: [Int: [TaskID]] = [:]
    /// Input partitions assigned to each stream thread's consumer, sorted.
    public var assignments: [Int: [TopicPartition]] = [:]
    /// Input records evicted before they could be read (reported, never skipped silently).
    public var lostRecords: Int64 = 0
    /// Commit steps completed.
    public var commits = 0
    /// Times a thread rewound to its committed offsets after a failed delivery.
    public var rewinds = 0
    /// Commit steps whose offsets the group refused while rebalancing (retried at the next step).
    public var refusedCommits = 0
    /// Under exactly-once: transactions committed (one per commit step with work to commit).
    public var transactions = 0
    /// Under exactly-once: transactions aborted, each followed by a rewind of the thread's tasks
    /// to their committed offsets and state.
    public var aborts = 0
    /// Tasks restoring their stores from changelogs (not processing yet).
    public var restoringTasks: [TaskID] = []
    /// Changelog records still to restore, and records restored so far.
    public var remainingRestore: Int64 = 0
    public var restoredRecords = 0
    /// Rebalances this worker's threads took part in.
    public var rebalances = 0
    /// Committed offsets, stream times, rebalances and errors, for metrics and the dashboard.
    public var observations = WorkerObservations()
}
