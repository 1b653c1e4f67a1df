import SluiceOperators
import SluiceTopology
import Synchronization

/// What one partition of a query came back as, from the stream thread that was asked.
enum PartitionAnswer: Sendable {
    /// The task runs here: its store's answer.
    case rows(StoreRows)
    /// The task is here but still restoring its stores from their changelogs.
    case restoring(restored: Int64, total: Int64)
    /// The task is not (or no longer) on this thread.
    case notHere
    /// The store could not answer (its serdes or its bytes failed).
    case failed(String)
}

/// Queries waiting for one stream thread, which alone may touch its tasks' stores.
///
/// An HTTP handler posts a request and awaits its reply; the thread takes every waiting request
/// between micro-batches (`StreamThread.serveQueries`), so a query waits at most about one poll
/// (`WorkerConfig.batchLinger`) plus the batch or commit step in progress. The thread's only cost
/// when nobody asks is one atomic load per loop. The mailbox holds at most `capacity` requests:
/// more are refused at once rather than queued without bound.
final class QueryMailbox: Sendable {
    struct Request: Sendable {
        let store: QueryableStore
        let partitions: [Int32]
        let query: StoreQuery
        let reply: QueryReply
    }

    static let capacity = 256
    private let queue = Mutex<(requests: [Request], open: Bool)>(([], true))
    private let waiting = Atomic<Int>(0)

    /// Whether requests wait: the stream thread's check, once per loop iteration.
    var hasRequests: Bool { waiting.load(ordering: .acquiring) > 0 }

    /// Queues `request` for the thread. - Returns: `false` when the mailbox is full or closed.
    func post(_ request: Request) -> Bool {
        queue.withLock { q in
            guard q.open, q.requests.count < Self.capacity else { return false }
            q.requests.append(request)
            waiting.add(1, ordering: .releasing)
            return true
        }
    }

    /// Every waiting request, for the thread to answer.
    func take() -> [Request] {
        queue.withLock { q in
            let taken = q.requests
            q.requests.removeAll()
            waiting.store(0, ordering: .releasing)
            return taken
        }
    }

    /// The thread stopped: waiting and later requests are told the tasks are not here.
    func close() {
        let left = queue.withLock { q in
            q.open = false
            let taken = q.requests
            q.requests.removeAll()
            waiting.store(0, ordering: .releasing)
            return taken
        }
        for r in left { r.reply.resume(r.partitions.map { _ in .notHere }) }
    }
}

/// The reply slot of one request: resumed exactly once, with the thread's answers, or with `nil`
/// when the asker stopped waiting (timeout or cancellation).
final class QueryReply: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<[PartitionAnswer]?, Never>)
        case answered([PartitionAnswer]?)
        case done
    }

    private let state = Mutex<State>(.idle)

    /// Delivers `answers`; later calls do nothing.
    func resume(_ answers: [PartitionAnswer]?) {
        let waiter: CheckedContinuation<[PartitionAnswer]?, Never>? = state.withLock { s in
            switch s {
            case .idle:
                s = .answered(answers)
                return nil
            case .waiting(let c):
                s = .done
                return c
            case .answered, .done:
                return nil
            }
        }
        waiter?.resume(returning: answers)
    }

    /// The answers, or `nil` after `timeout` (or when the task is cancelled).
    func wait(timeout: Duration) async -> [PartitionAnswer]? {
        await withTaskGroup(of: [PartitionAnswer]?.self) { group in
            group.addTask { await self.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.resume(nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func wait() async -> [PartitionAnswer]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[PartitionAnswer]?, Never>) in
                let ready: [PartitionAnswer]?? = state.withLock { s in
                    switch s {
                    case .idle:
                        s = .waiting(c)
                        return .none
                    case .answered(let answers):
                        s = .done
                        return .some(answers)
                    case .waiting, .done:
                        return .some(nil)  // one waiter per reply: not reached
                    }
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            resume(nil)
        }
    }
}
