import Foundation

/// The speed and memory goals the issues set for bench rows, judged at the end of every run, so
/// that `make bench` says where each goal stands instead of leaving it to the reader's arithmetic.
///
/// A goal is judged on the table's ratio, the median of the row's runs'. On this shared machine
/// those runs' ratios spread by a quarter, so the verdict also counts the runs that reached the
/// goal's ratio: a median just above or below the line, with runs on both sides, is a goal the
/// run has not settled.
struct BenchGoal {
    var row: String
    /// The least ratio that meets the goal.
    var minimum: Double
    /// The row the ratio is to: nil for the limit (the C pipe); otherwise that row's CPU per
    /// record over this row's (exactly-once against at-least-once).
    var baseline: String?
    /// Peak RSS at most this, when the goal sets one.
    var maximumRSS: Double?

    static let all: [BenchGoal] = [
        BenchGoal(row: "topology_passthrough", minimum: 0.8, maximumRSS: 100),
        BenchGoal(row: "topology_json_filter_map", minimum: 0.8, maximumRSS: 100),
        BenchGoal(row: "windowed_count_10s", minimum: 0.4),
        BenchGoal(row: "hopping_aggregate_10s_5s", minimum: 0.4),
        BenchGoal(row: "windowed_count_10s_eos", minimum: 0.85, baseline: "windowed_count_10s"),
        BenchGoal(row: "stream_table_join", minimum: 0.35),
    ]

    /// One goal's verdict for a run.
    struct Verdict {
        var met: Bool
        var text: String
    }

    /// The verdict, or nil when the goal's rows did not run or are invalid.
    /// - Parameters:
    ///   - results: the run's rows (medians), with their ratios to the limit.
    ///   - paired: per row, each run's ratio to the limit's run just before it.
    func verdict(_ results: [BenchResult], paired: [String: [Double]]) -> Verdict? {
        guard let result = results.first(where: { $0.name == row && $0.valid && $0.not_run == nil }) else { return nil }
        let ratio: Double
        let wanted: String
        var runs = ""
        if let baseline {
            guard let base = results.first(where: { $0.name == baseline && $0.valid }), result.cpu_seconds_per_million > 0 else { return nil }
            ratio = base.cpu_seconds_per_million / result.cpu_seconds_per_million
            wanted = String(format: "≥ %.2f× %@, its CPU per record over this row's", minimum, baseline)
        } else {
            guard let r = result.ratio_to_limit else { return nil }
            ratio = r
            wanted = String(format: "≥ %.2f× the limit", minimum)
            if let each = paired[row], !each.isEmpty {
                runs = String(format: "; %d of %d runs reached the ratio", each.filter { $0 >= minimum }.count, each.count)
            }
        }
        let met = ratio >= minimum && maximumRSS.map { result.peak_rss_mb <= $0 } ?? true
        var text = String(format: "%@ (%@", row, wanted)
        if let rss = maximumRSS { text += String(format: ", ≤ %.0f MB", rss) }
        text += String(format: "): %.2f×", ratio)
        if maximumRSS != nil { text += String(format: ", %.0f MB", result.peak_rss_mb) }
        text += (met ? " — met" : " — NOT MET") + runs
        return Verdict(met: met, text: text)
    }
}
