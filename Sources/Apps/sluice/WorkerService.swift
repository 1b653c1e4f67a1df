import Foundation
import Logging
import ServiceLifecycle
import Sluice
import Synchronization

/// A worker as a swift-service-lifecycle service: graceful shutdown finishes the batch, commits
/// and leaves the group; a fatal worker error ends the service with that error.
struct WorkerService: Service {
    let worker: Worker
    let generate: (rate: Int, source: SampleSource)?
    let duration: Duration?
    let progress: Bool
    let logger: Logger

    func run() async throws {
        try await offPool { try worker.start() }
        let generator = try generate.map { try Generator(source: $0.source, rate: $0.rate, bootstrap: worker.bootstrapServers, logger: logger) }
        let line = ProgressLine(plan: worker.plan)
        let stopping = Atomic<Bool>(false)
        let started = ContinuousClock.now
        await withGracefulShutdownHandler {
            // Cancelled (another service of the group failed): stop too, gracefully.
            while !stopping.load(ordering: .relaxed), !Task.isCancelled, worker.failure == nil {
                if let duration, ContinuousClock.now - started >= duration { break }
                try? await Task.sleep(for: .seconds(1))
                if progress { line.print(worker.snapshot, generated: generator?.sent.load(ordering: .relaxed)) }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
        generator?.stop()
        if progress { line.finish() }
        try await offPool { try worker.stop() }
        line.summary(worker.snapshot)
    }
}

/// Runs blocking work on a thread of its own, never on the concurrency pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        Thread.detachNewThread { c.resume(with: Result { try body() }) }
    }
}
