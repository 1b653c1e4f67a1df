import Foundation

/// One row of `make bench`: what a measured process reported, checked against the broker.
struct BenchResult: Codable {
    var name: String
    var records: Int
    /// Wall seconds from the first record to the last acknowledgement (after the group joined).
    var seconds: Double
    var records_per_sec: Double
    /// User+sys CPU seconds of the measured process, for the whole run.
    var cpu_seconds: Double
    var cpu_seconds_per_million: Double
    var peak_rss_mb: Double
    /// The median of this row's runs' ratios to the limit's run just before each (the limit's
    /// CPU per million over the row's); for the limit itself, 1.
    var ratio_to_limit: Double?
    /// False when the output count did not equal the input count: the figures then mean nothing.
    var valid: Bool
    /// Records processed before the CPU and time began to count (rows without Kafka).
    var warm_up_records: Int?
    var note: String?
    /// Why the row did not run (e.g. a peer whose environment is missing); nil when it ran.
    var not_run: String?
    /// The row's goal and where this run leaves it (`BenchGoal`); nil for rows without one.
    var goal: String?
    var goal_met: Bool?

    init(name: String, report: ProcessReport, expected: Int, expectedOutput: Int, outputCount: Int, note: String? = nil) {
        self.name = name
        records = report.records
        seconds = report.seconds
        // Rates are over the records processed while CPU and time counted.
        let counted = report.records - (report.warm_up_records ?? 0)
        records_per_sec = report.seconds > 0 ? Double(counted) / report.seconds : 0
        cpu_seconds = report.cpu_seconds
        cpu_seconds_per_million = counted > 0 ? report.cpu_seconds / (Double(counted) / 1e6) : 0
        warm_up_records = report.warm_up_records
        peak_rss_mb = report.peak_rss_mb
        let deadLettered = report.dead_lettered ?? 0
        valid = report.records == expected && (expectedOutput < 0 || outputCount == expectedOutput) && deadLettered == 0
        self.note =
            valid
            ? note
            : "INVALID: \(report.records) of \(expected) processed, \(outputCount) of \(expectedOutput) in the output, \(deadLettered) dead-lettered"
    }
}

extension BenchResult {
    /// A row that could not run: reported as such, never as passed.
    static func notRun(_ name: String, reason: String) -> BenchResult {
        var result = BenchResult(
            name: name, report: ProcessReport(records: 0, seconds: 0, cpu_seconds: 0, peak_rss_mb: 0), expected: 1, expectedOutput: -1,
            outputCount: 0)
        result.note = "NOT RUN: \(reason)"
        result.not_run = reason
        return result
    }
}

/// What a measured process prints as its last line.
struct ProcessReport: Codable {
    var records: Int
    var seconds: Double
    var cpu_seconds: Double
    var peak_rss_mb: Double
    /// Records a Sluice worker sent to its dead-letter topic (peers do not say). The bench's
    /// inputs hold no bad record and nothing late, so any makes the row invalid.
    var dead_lettered: Int?
    /// Records the process wrote to its result topic, when it has no broker to count them.
    var output_records: Int?
    /// Of `cpu_seconds`, what generating the input took, when the process generates its own.
    var generator_cpu_seconds: Double?
    /// Records processed before `cpu_seconds` and `seconds` began to count (a warm-up).
    var warm_up_records: Int?
}

enum BenchTable {
    static func print(_ rows: [BenchResult], cores: Int) {
        let header = ["row", "records", "rec/s (wall)", "CPU s", "CPU s/M", "RSS MB", "ratio", "ok"]
        var lines = [header]
        for r in rows {
            lines.append([
                r.name, "\(r.records)", String(format: "%.0f", r.records_per_sec), String(format: "%.2f", r.cpu_seconds),
                String(format: "%.2f", r.cpu_seconds_per_million), String(format: "%.1f", r.peak_rss_mb),
                r.ratio_to_limit.map { String(format: "%.2f×", $0) } ?? "-", r.not_run != nil ? "not run" : r.valid ? "yes" : "NO",
            ])
        }
        let widths = header.indices.map { i in lines.map { $0[i].count }.max() ?? 0 }
        Swift.print("\nSluice bench — \(cores) cores, \(Date().formatted(.iso8601))")
        for (n, line) in lines.enumerated() {
            Swift.print(line.enumerated().map { i, cell in
                i == 0 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  "))
            if n == 0 { Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        for r in rows where r.note != nil { Swift.print("  \(r.name): \(r.note!)") }
        let goals = rows.compactMap(\.goal)
        if !goals.isEmpty {
            Swift.print("\nGoals (a ratio is the median of the row's runs'):")
            for goal in goals { Swift.print("  \(goal)") }
        }
    }

    static func json(_ rows: [BenchResult]) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return rows.compactMap { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } }
    }
}
