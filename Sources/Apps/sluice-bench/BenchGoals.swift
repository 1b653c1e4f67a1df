import Foundation

/// The speed and memory goals the issues set for bench rows, judged at the end of every run, so
/// that `make bench` says where each goal stands instead of leaving it to the reader's arithmetic.
///
/// A goal is judged on the table's ratio, the median of the row's runs'. On this shared machine
/// those runs' ratios spread by a quarter, so the verdict also counts the runs that reached the
/// goal's ratio: a median just above or below the line, with runs on both sides, is a goal the
/// run has not settled.
struct BenchGoal {
    enum Bar {
        /// At least this ratio to the limit (the C pipe).
        case ratioToLimit(Double)
        /// At least this ratio to another row: that row's CPU per record over this row's
        /// (exactly-once against at-least-once).
        case ratioTo(String, Double)
    }

    var row: String
    var bar: Bar
    /// Peak RSS at most this, when the goal sets one.
    var maximumRSS: Double?

    static let all: [BenchGoal] = [
        BenchGoal(row: "topology_passthrough", bar: .ratioToLimit(0.8), maximumRSS: 100),
        BenchGoal(row: "topology_json_filter_map", bar: .ratioToLimit(0.8), maximumRSS: 100),
        BenchGoal(row: "windowed_count_10s", bar: .ratioToLimit(0.4)),
        BenchGoal(row: "hopping_aggregate_10s_5s", bar: .ratioToLimit(0.4)),
        BenchGoal(row: "windowed_count_10s_eos", bar: .ratioTo("windowed_count_10s", 0.85)),
        BenchGoal(row: "stream_table_join", bar: .ratioToLimit(0.35)),
    ]

    /// One goal's verdict for a run; nil when its rows did not run or are invalid.
    struct Verdict {
        var met: Bool
        var text: String
    }

    /// - Parameters:
    ///   - results: the run's rows (medians), with their ratios to the limit.
    ///   - paired: per row, each run's ratio to the limit's run just before it.
    func verdict(_ results: [BenchResult], paired: [String: [Double]]) -> Verdict? {
        guard let result = results.first(where: { $0.name == row && $0.valid && $0.not_run == nil }) else { return nil }
        let ratio: Double
        let wanted: String
        var runs = ""
        switch bar {
        case .ratioToLimit:
            guard let r = result.ratio_to_limit else { return nil }
            ratio = r
            wanted = String(format: "≥ %.2f× the limit", minimum)
            if let each = paired[row], !each.isEmpty {
                runs = String(format: "; %d of %d runs reached the ratio", each.filter { $0 >= minimum }.count, each.count)
            }
        case .ratioTo(let other, _):
            guard let base = results.first(where: { $0.name == other && $0.valid }), result.cpu_seconds_per_million > 0 else { return nil }
            ratio = base.cpu_seconds_per_million / result.cpu_seconds_per_million
            wanted = String(format: "≥ %.2f× %@, its CPU per record over this row's", minimum, other)
        }
        let rssMet = maximumRSS.map { result.peak_rss_mb <= $0 } ?? true
        let met = ratio >= minimum && rssMet
        var text = String(format: "%@ (%@", row, wanted)
        if let rss = maximumRSS { text += String(format: ", ≤ %.0f MB", rss) }
        text += String(format: "): %.2f×", ratio)
        if maximumRSS != nil { text += String(format: ", %.0f MB", result.peak_rss_mb) }
        text += (met ? " — met" : " — NOT MET") + runs
        return Verdict(met: met, text: text)
    }

    /// The least ratio that meets the goal.
    var minimum: Double {
        switch bar {
        case .ratioToLimit(let m), .ratioTo(_, let m): m
        }
    }
}
