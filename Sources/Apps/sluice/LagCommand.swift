import ArgumentParser
import Foundation
import Sluice

/// `sluice lag APP`: consumer lag per partition (from the group's committed offsets: no worker
/// needed) and per operator (from the live workers the registry names).
struct LagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag", abstract: "Print an application's lag per partition and per operator.",
        discussion: """
            Per partition: the end offset of every partition the application reads minus the offset
            its group committed, read from the brokers, so it works with no worker running. Per
            operator: throughput and event-time lag, asked from each live worker's /api/status
            (workers are found in the registry topic <application>-workers).
            """)

    @Argument(help: "The application (see `sluice list`).")
    var topology: TopologyName

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        let logger = try logging.bootstrap(label: "sluice.lag")
        let plan = try topology.plan()
        let report = try LagReport.measure(plan, config: try cluster.kafka(clientID: "sluice-lag"), logger: logger)
        print(Self.render(report), terminator: "")
    }

    static func render(_ report: LagReport) -> String {
        var out = "\(report.applicationID): consumer lag per partition (group \(report.applicationID))\n"
        let width = max(5, report.partitions.map(\.topic.count).max() ?? 0)
        out += "topic".padding(toLength: width, withPad: " ", startingAt: 0)
            + "  partition   committed         end         lag\n"
        for p in report.partitions {
            out += p.topic.padding(toLength: width, withPad: " ", startingAt: 0)
                + pad("\(p.partition)", 11) + pad(p.committedOffset.map { "\($0)" } ?? "-", 12)
                + pad("\(p.endOffset)", 12) + pad("\(p.lag)", 12) + "\n"
        }
        out += "total lag: \(report.totalLag) records in \(report.partitions.count) partitions\n"
        for t in report.missingTopics { out += "topic \(t) does not exist yet\n" }

        out += "\nlive workers: \(report.workers.count)"
        out += report.workers.isEmpty ? " (per-operator lag needs a running worker)\n" : "\n"
        for w in report.workers {
            let url = w.heartbeat.url ?? "no URL"
            out += "  \(w.heartbeat.instanceID)  \(url)  tasks \(w.heartbeat.tasks.joined(separator: " "))\n"
            if let error = w.error { out += "    no status: \(error)\n" }
        }
        let rows = report.workers.compactMap { w in w.status.map { (w.heartbeat.instanceID, $0) } }
        if !rows.isEmpty {
            let opWidth = max(8, rows.flatMap { $0.1.operators.map(\.name.count) }.max() ?? 0)
            out += "\n" + "operator".padding(toLength: opWidth, withPad: " ", startingAt: 0)
                + "  worker                          received     records/s  event-time lag\n"
            for (instance, status) in rows {
                for op in status.operators {
                    out += op.name.padding(toLength: opWidth, withPad: " ", startingAt: 0) + "  "
                        + instance.padding(toLength: 28, withPad: " ", startingAt: 0)
                        + pad("\(op.received)", 12) + pad(String(format: "%.1f", op.recordsPerSecond), 14)
                        + pad(op.eventTimeLagSeconds.map { String(format: "%.3f s", $0) } ?? "-", 16) + "\n"
                }
            }
        }
        return out
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(width - s.count, 1)) + s
    }
}
