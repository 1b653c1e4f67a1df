import SluiceOperators
import SluiceTopology

// Interactive queries, answered on the thread that owns the stores, between micro-batches.
extension StreamThread {
    /// Answers every query waiting in this thread's mailbox.
    func serveQueries() {
        for request in state.queries[index].take() {
            request.reply.resume(request.partitions.map { answer(request, partition: $0) })
        }
    }

    private func answer(_ request: QueryMailbox.Request, partition: Int32) -> PartitionAnswer {
        let id = TaskID(subtopology: request.store.subtopology, partition: partition)
        guard let task = tasks[id] else { return .notHere }
        guard running.contains(id) else {
            let progress = restorer.progress.filter { $0.task == id.description }
            return .restoring(restored: progress.reduce(0) { $0 + $1.restored }, total: progress.reduce(0) { $0 + $1.total })
        }
        guard let store = task.state.stores[request.store.name] else {
            return .failed("task \(id) has no store \(request.store.name)")
        }
        let windowSize: Int64 = if case .window(let size) = request.store.layout { size } else { 0 }
        do {
            return .rows(try store.answer(request.query, windowSize: windowSize))
        } catch {
            return .failed("\(error)")
        }
    }
}
