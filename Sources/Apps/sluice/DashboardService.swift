import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Sluice

/// The worker's HTTP endpoints as a service of `sluice run`'s group. When the port was not chosen
/// (the default, 8080) and another process took it between the check in `HTTPOptions.port()` and
/// the bind, it serves on a free port instead of stopping the worker.
struct DashboardService: Service {
    let worker: Worker
    let metrics: PrometheusMetrics
    let host: String
    let port: Int
    /// Whether another port will do (the user did not ask for this one).
    let mayMove: Bool
    let advertise: Bool
    let logger: Logger

    func run() async throws {
        do {
            try await serve(port)
        } catch let error as IOError where mayMove && port != 0 && error.errnoCode == EADDRINUSE {
            logger.notice("port \(port) was taken meanwhile; serving on a free port instead")
            try await serve(0)
        }
    }

    private func serve(_ port: Int) async throws {
        let observability = worker.observability
        let advertise = self.advertise
        let app = WorkerHTTPServer.application(
            observability: observability, metrics: metrics, queries: worker.queries, host: host, port: port, logger: logger
        ) { url in
            if advertise { observability.advertise(url: url) }
            // Unbuffered, so that a parent process reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("sluice: dashboard at \(url)/ (metrics at \(url)/metrics, stores at \(url)/stores)\n".utf8))
        }
        try await app.run()
    }
}
