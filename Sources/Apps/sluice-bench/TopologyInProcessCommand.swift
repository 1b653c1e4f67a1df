import ArgumentParser
import Foundation
import Sluice

/// `sluice-bench topology-in-process json-filter-map 1000000`: a bench topology's operators, serdes
/// and stores on the bench events, with no Kafka: the part of a row that is Sluice's own code.
///
/// Kafka's share of a row moves with the machine's load by more than most changes to the
/// operators; this leaves it out, so that two builds run in turns (`bench/ab/in-process.sh`)
/// differ by what the change did; or count its instructions, which the load does not move:
/// `valgrind --tool=callgrind` on a copy stripped of debug information (`objcopy --strip-debug`;
/// valgrind 3.19 cannot read Swift's). Events
/// are made up front, a pool of `--distinct` of them reused in turn with fresh timestamps, so
/// that making them is not measured and their varied shapes still exercise the branches.
struct TopologyInProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology-in-process", abstract: "Internal: a bench topology without Kafka.")

    @Argument var name: String
    @Argument var records: Int
    @Option(help: "Distinct events, reused in turn.") var distinct = 10_000
    @Option(help: "Partitions of the input, as the Kafka rows' topic has.") var partitions = 64
    @OptionGroup var state: BenchStateOptions

    func run() throws {
        guard BenchTopologies.tableRecords(name) == 0 else {
            throw ValidationError("\(name) reads a table; only the rows with the events alone as input run in process")
        }
        let group = "in-process-\(name)"
        let plan = try BenchTopologies.plan(name, applicationID: group, input: "bench-input", output: "bench-output")
        try state.withDirectory(group: group) { try run(plan: plan, stateDirectory: $0) }
    }

    private func run(plan: TopologyPlan, stateDirectory: String) throws {
        let tasks = try InProcessTasks(plan: plan, inputPartitions: partitions, stateDirectory: stateDirectory)
        let pool = EventPool(count: min(distinct, records), partitions: partitions)
        let batchSize = tasks.config.batchSize
        let start = (cpu: threadCPUSeconds(), wall: ContinuousClock.now)
        var i = 0
        while i < records {
            for j in i..<min(i + batchSize, records) {
                try pool.withEvent(j % pool.count) { key, value, partition in
                    try tasks.process(
                        topic: "bench-input", partition: partition, key: key, value: value, timestamp: BenchInput.timestamp(j))
                }
            }
            i += batchSize
            try tasks.drain()
        }
        try tasks.commit()
        let cpu = threadCPUSeconds() - start.cpu
        let seconds = (ContinuousClock.now - start.wall) / .seconds(1)
        let deadLettered = tasks.deadLettered
        tasks.close()
        try ProcessReport.emit(
            records: records, seconds: seconds, deadLettered: deadLettered, outputRecords: tasks.written["bench-output", default: 0],
            cpuSeconds: cpu)
    }
}

/// The first `count` bench events, keys and values back to back in one buffer.
private struct EventPool {
    private var bytes: [UInt8] = []
    /// Per event: where its key ends (its value follows) and where its value ends.
    private var ends: [(key: Int, value: Int)] = []
    private var partitions: [Int32] = []
    let count: Int

    init(count: Int, partitions: Int) {
        self.count = count
        for i in 0..<count {
            let (key, value) = BenchInput.event(i)
            bytes += key.utf8
            let keyEnd = bytes.count
            bytes += value.utf8
            ends.append((keyEnd, bytes.count))
            self.partitions.append(KafkaPartitioner.partition(forKey: Array(key.utf8), partitions: partitions))
        }
    }

    func withEvent<R>(_ i: Int, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, Int32) throws -> R) rethrows -> R {
        let start = i == 0 ? 0 : ends[i - 1].value
        return try bytes.withUnsafeBytes { all in
            let key = UnsafeRawBufferPointer(rebasing: all[start..<ends[i].key])
            return try body(key, UnsafeRawBufferPointer(rebasing: all[ends[i].key..<ends[i].value]), partitions[i])
        }
    }
}
