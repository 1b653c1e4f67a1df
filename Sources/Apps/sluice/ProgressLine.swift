import Foundation
import Sluice
import Synchronization

/// The live progress line of `sluice run` and the reconciliation summary at the end.
final class ProgressLine: Sendable {
    private let sources: [String]
    private let sinks: [String]
    private let last = Mutex<(time: ContinuousClock.Instant, input: Int)>((.now, 0))
    private let terminal = isatty(1) == 1

    init(plan: TopologyPlan) {
        let nodes = plan.subtopologies.flatMap(\.nodes)
        let inputs = Set(plan.inputTopics)
        sources = plan.subtopologies.filter { !Set($0.sourceTopics).isDisjoint(with: inputs) }
            .flatMap(\.nodes).filter { $0.operation == "source" }.map(\.name)
        sinks = nodes.filter { $0.operation == "to" && !$0.name.hasSuffix("-repartition-sink") }.map(\.name)
    }

    func print(_ s: WorkerSnapshot, generated: Int?) {
        let input = sources.compactMap { s.counts[$0]?.received }.reduce(0, +)
        let output = sinks.compactMap { s.counts[$0]?.forwarded }.reduce(0, +)
        let dead = s.counts.values.map(\.deadLettered).reduce(0, +)
        let now = ContinuousClock.now
        let rate = last.withLock { l -> Double in
            let r = Double(input - l.input) / max((now - l.time) / .seconds(1), 0.001)
            l = (now, input)
            return r
        }
        var text = String(format: "in %9d  out %9d  dead-lettered %6d  %8.0f rec/s  tasks %d  commits %d", input, output, dead, rate, s.tasks.count, s.commits)
        if let generated { text = String(format: "generated %9d  ", generated) + text }
        if s.lostRecords > 0 { text += "  LOST \(s.lostRecords)" }
        FileHandle.standardOutput.write(Data((terminal ? "\r" + text + " " : text + "\n").utf8))
    }

    func finish() {
        if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }

    /// Per operator: received = forwarded + filtered + dead-lettered.
    func summary(_ s: WorkerSnapshot) {
        var out = "\noperator                                  received  forwarded   filtered  dead-lettered\n"
        for c in s.counts.values.sorted(by: { ($0.node.subtopology, $0.node.name) < ($1.node.subtopology, $1.node.name) }) {
            out += c.node.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                + String(format: " %9d  %9d  %9d  %13d", c.received, c.forwarded, c.filtered, c.deadLettered)
                + (c.reconciles ? "" : "  ✗ does not reconcile") + "\n"
        }
        let ok = s.counts.values.allSatisfy(\.reconciles)
        out += ok ? "✓ every operator's counts reconcile (received = forwarded + filtered + dead-lettered)\n" : "✗ counts do not reconcile\n"
        out += "commits \(s.commits), transactions \(s.transactions), aborts \(s.aborts), rewinds \(s.rewinds), restored \(s.restoredRecords)\n"
        if s.lostRecords > 0 { out += "✗ \(s.lostRecords) input records were evicted before they were read\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
