public import Prometheus

/// A Prometheus registry and the swift-metrics factory that writes into it, with histogram
/// buckets sized for Sluice's timings (sub-millisecond batches, commit steps of up to seconds).
///
/// An app bootstraps swift-metrics with `factory` and serves `exposition()` at `/metrics`; a test
/// makes one of its own and hands `factory` to its worker (`ObservabilityConfig.metricsFactory`),
/// so no two tests share a registry or touch the global bootstrap.
///
/// ```swift
/// let metrics = PrometheusMetrics()
/// MetricsSystem.bootstrap(metrics.factory)          // in an app only (STYLE.md §13)
/// var config = WorkerConfig()
/// config.observability.metricsFactory = metrics.factory
/// ```
public final class PrometheusMetrics: Sendable {
    /// Holds every instrument made through `factory`; what `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics backend writing into `registry`.
    public let factory: PrometheusMetricsFactory

    /// - Parameter registry: a fresh one by default, so that two workers (or tests) never share series.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricNames.processTime] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        ]
        factory.durationHistogramBuckets[MetricNames.commitTime] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    /// Every metric in Prometheus' text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
