import Foundation

/// Flink's published Nexmark results, the bar of the Nexmark rows (issue 8): nexmark/nexmark's
/// `GUIDE_V2.md`, "Nexmark Benchmark Result": Flink 2.0, 50 M events measured after 150 M of
/// warm-up, parallelism 8 on 16-core workers, RocksDB state with incremental checkpoints every
/// 30 s. Flink's source generates the events inside the job (no Kafka, no JSON: it hands rows
/// to the query) and its sinks drop the results. Per core: throughput over the cores used.
enum FlinkNexmarkFigures {
    /// Events per second, and the cores Flink used for them, per query.
    private static let published: [String: (eventsPerSecond: Double, cores: Double)] = [
        "q0": (2.65e6, 7), "q1": (2.86e6, 7.24), "q2": (2.95e6, 7.13), "q3": (1.9e6, 8.69), "q4": (347.84e3, 12.33),
        "q5": (920.4e3, 12.35), "q7": (262.46e3, 11.45), "q8": (2.08e6, 12.83), "q11": (427.88e3, 9.29), "q12": (1.95e6, 10.03),
    ]

    /// Flink's events per second per core for `query`.
    static func perCore(_ query: String) -> Double? { published[query].map { $0.eventsPerSecond / $0.cores } }

    /// A row's note on the bar: its events per core-second against Flink's.
    static func note(query: String, result: BenchResult) -> String? {
        guard let bar = perCore(query), result.valid, result.not_run == nil, result.cpu_seconds_per_million > 0 else { return nil }
        let rate = 1e6 / result.cpu_seconds_per_million
        return String(
            format: "%.0f k events per core-second against Flink 2.0's published %.0f k (%.2f×: %@)", rate / 1e3, bar / 1e3, rate / bar,
            rate >= bar ? "at or above the bar" : "below the bar")
    }
}
