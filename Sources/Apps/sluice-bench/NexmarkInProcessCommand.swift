import ArgumentParser
import Foundation
import Sluice
import SluiceNexmark
import Topologies

/// `sluice-bench nexmark-in-process q5 ... EVENTS`: one Nexmark query under the conditions of Flink
/// Nexmark's published figures: the generator in the measured process, no Kafka, state in
/// RocksDB, results dropped. Unlike Flink's source, which hands the query rows, every event here
/// is written as JSON and read back by the query's source, and every result is written as JSON:
/// Sluice pays both ways for the format Flink skips.
struct NexmarkInProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nexmark-in-process", abstract: "Internal: a Nexmark query without Kafka.")

    @Argument var query: String
    @Argument(help: "Ignored: no broker.") var bootstrap: String
    @Argument var group: String
    @Argument(help: "Ignored: the events are generated here.") var input: String
    @Argument(help: "Ignored: results are counted and dropped.") var output: String
    @Argument var events: Int
    @Option(help: "Partitions of the events' topic: the tasks of the first sub-topology.") var partitions = 64
    @Option(help: "Events processed before the measurement starts (default: a fifth of them), as Flink's figures are taken after a warm-up.")
    var warmUp: Int?
    @OptionGroup var state: BenchStateOptions

    func run() throws {
        let plan = try nexmarkPlan(query, group: group)
        try state.withDirectory(group: group) { try run(plan: plan, stateDirectory: $0) }
    }

    private func run(plan: TopologyPlan, stateDirectory: String) throws {
        let tasks = try InProcessTasks(plan: plan, inputPartitions: partitions, stateDirectory: stateDirectory)
        var config = NexmarkConfig()
        config.numEvents = Int64(events)
        var generator = try NexmarkGenerator(config: config)
        // One micro-batch of events at a time, generated, then written as JSON, then processed.
        // The generator's CPU counts, as Flink's source does in Flink's figures; writing the
        // events as JSON does not: Flink's source hands its query rows, and the Kafka rows' input
        // is written before they start. (Reading the JSON back and writing results as JSON count.)
        // Flink measures after a warm-up (150 M events, then 50 M): so does this, from the first
        // batch boundary past `warmUp` events, which leaves out opening the tasks and their stores.
        let warmUp = min(self.warmUp ?? events / 5, events)
        // Locals: an option's wrapped value is a generic getter (read per event, 4% of q1's CPU:
        // 2.55 -> 2.45 CPU s/M, medians of 5 turns), and a static `let` of another module a call
        // to its lazy initializer.
        let partitions = self.partitions
        let topic = NexmarkEvents.topic
        var batch = EventBatch()
        var writingJSON = 0.0
        var generatorCPU = 0.0
        var count = 0
        var measured: (records: Int, cpu: Double, start: ContinuousClock.Instant)?
        while true {
            if measured == nil, count >= warmUp {
                measured = (count, processCPUSeconds(), .now)
                (writingJSON, generatorCPU) = (0, 0)
            }
            let t0 = threadCPUSeconds()
            batch.generate(from: &generator, upTo: tasks.config.batchSize)
            let t1 = threadCPUSeconds()
            batch.writeJSON()
            writingJSON += threadCPUSeconds() - t1
            generatorCPU += t1 - t0
            if batch.isEmpty { break }
            for i in 0..<batch.count {
                // Round robin: the Kafka rows' producer picks a partition per unkeyed record.
                try batch.withEvent(i) { value, timestamp in
                    try tasks.process(topic: topic, partition: Int32(count % partitions), key: nil, value: value, timestamp: timestamp)
                }
                count += 1
            }
            try tasks.drain()
        }
        try tasks.commit()
        let cpu = processCPUSeconds() - (measured?.cpu ?? 0) - writingJSON
        let seconds = measured.map { (ContinuousClock.now - $0.start) / .seconds(1) } ?? 0
        let deadLettered = tasks.deadLettered  // counted by the tasks, so before they close
        tasks.close()
        try ProcessReport.emit(
            records: count, seconds: seconds, deadLettered: deadLettered, outputRecords: tasks.written["nexmark-\(query)", default: 0],
            cpuSeconds: cpu, generatorCPUSeconds: generatorCPU, warmUpRecords: measured?.records ?? count)
    }
}

/// One micro-batch of events, and the same as JSON, back to back in one buffer.
private struct EventBatch {
    private var events: [NexmarkEvent] = []
    private var timestamps: [Int64] = []
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { events.count }
    var isEmpty: Bool { events.isEmpty }

    mutating func generate(from generator: inout NexmarkGenerator, upTo limit: Int) {
        events.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        while events.count < limit, let event = generator.next() {
            timestamps.append(event.dateTime.millisecondsSinceEpoch)
            events.append(event)
        }
    }

    mutating func writeJSON() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        for event in events {
            event.appendJSON(to: &bytes)
            ends.append(bytes.count)
        }
    }

    func withEvent<R>(_ i: Int, _ body: (UnsafeRawBufferPointer, Int64) throws -> R) rethrows -> R {
        let start = i == 0 ? 0 : ends[i - 1]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[i]]), timestamps[i]) }
    }
}
