import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// A worker's HTTP endpoints (DESIGN.md §5), as a Hummingbird application to run in the app's
/// `ServiceGroup` next to the worker:
///
///     GET /              the dashboard: topology graph, live throughput and lag (one HTML page)
///     GET /metrics       Prometheus text format
///     GET /api/topology  the plan as JSON (`TopologyGraph`)
///     GET /api/status    counters, rates, event-time and consumer lag, history (`WorkerStatus`)
///     GET /healthz       200 while the worker runs, 503 once it failed
///     GET /stores        the queryable state stores
///     GET /stores/NAME/KEY[?from=T1&to=T2]           one key (its windows or sessions, for windowed stores)
///     GET /stores/NAME?from=A&to=B | ?prefix=P       a key range of a key-value store
///
/// Handlers only read what the worker's monitor last sampled (or, for `/metrics`, bring the
/// counters up to the threads' latest snapshot): nothing here blocks or touches a stream thread.
/// Store queries wait for the stream thread that owns the store to answer between micro-batches
/// (`InteractiveQueries`).
public enum WorkerHTTPServer {
    /// - Parameters:
    ///   - host: the address to bind; `127.0.0.1` keeps the endpoints on this machine.
    ///   - port: 0 takes any free port.
    ///   - metrics: the registry to serve at `/metrics`; `nil` answers 404 there.
    ///   - queries: the worker's store queries (`Worker.queries`); `nil` answers 404 under `/stores`.
    ///   - onRunning: receives the base URL (`http://host:port`) once the server listens.
    public static func application(
        observability: WorkerObservability, metrics: PrometheusMetrics?, queries: InteractiveQueries? = nil, host: String = "127.0.0.1",
        port: Int = 8080, logger: Logger, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let page = DashboardPage.html(applicationID: observability.applicationID)
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/metrics") { _, _ in
            guard let metrics else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no metrics registry\n")))
            }
            observability.refreshMetrics()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get("/api/topology") { _, _ in try json(observability.graph) }
        router.get("/api/status") { _, _ in try json(observability.status) }
        router.get("/healthz") { _, _ in
            let status = observability.status
            let failed = status.state == "failed"
            return Response(
                status: failed ? .serviceUnavailable : .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: status.state + "\n")))
        }
        addStoreRoutes(to: router, queries: queries)
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "sluice"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let shown = host == "0.0.0.0" || host == "::" ? ProcessInfo.processInfo.hostName : host
                await onRunning("http://\(shown.contains(":") ? "[\(shown)]" : shown):\(bound)")
            },
            logger: logger)
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
