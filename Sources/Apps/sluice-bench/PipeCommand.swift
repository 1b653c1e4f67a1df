import ArgumentParser
import Foundation
import Sluice

/// `sluice-bench pipe`: the raw pipe through Sluice's Kafka layer (consume, produce unchanged),
/// the Swift twin of bench/limit/rdkafka_pipe.c. Run by the bench as a process of its own.
struct PipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pipe", abstract: "Internal: the Kafka-layer pipe.")

    @Argument var bootstrap: String
    @Argument var group: String
    @Argument var input: String
    @Argument var output: String
    @Argument var expected: Int
    @Option var batch = 1000

    func run() throws {
        let client = KafkaConfig(bootstrapServers: bootstrap)
        let producer = try KafkaProducer(config: ProducerConfig(client: client))
        let consumer = try KafkaConsumer(config: ConsumerConfig(client: client, groupID: group, offsetReset: .earliest))
        try consumer.subscribe([input])
        let out = try producer.topic(output)
        var received = 0
        var first: ContinuousClock.Instant?
        var lastProgress = ContinuousClock.now
        while received < expected, ContinuousClock.now - lastProgress < .seconds(120) {
            let count = try consumer.poll(maxRecords: batch, timeout: .milliseconds(100)) { records in
                for i in 0..<records.count {
                    let r = records[i]
                    try producer.send(
                        to: out, key: r.key, value: r.value, headers: r.lentHeaders,
                        timestamp: r.timestamp)
                }
                return records.count
            }
            if count > 0 {
                if first == nil { first = ContinuousClock.now }
                received += count
                lastProgress = ContinuousClock.now
            }
            producer.poll()
        }
        try producer.flush(timeout: .seconds(60))
        let wall = first.map { (ContinuousClock.now - $0) / .seconds(1) } ?? 0
        try ProcessReport.emit(records: received, seconds: wall)
        if received != expected { throw ExitCode.failure }
    }
}

extension ProcessReport {
    /// Prints this process's report (CPU and peak RSS from getrusage) as the last line of stdout.
    /// - Parameters:
    ///   - cpuSeconds: the CPU the row took, when not the whole process's (see `warmUpRecords`).
    ///   - generatorCPUSeconds: of that, what generating the input took.
    ///   - warmUpRecords: records processed before `cpuSeconds` began to count.
    static func emit(
        records: Int, seconds: Double, deadLettered: Int? = nil, outputRecords: Int? = nil, cpuSeconds: Double? = nil,
        generatorCPUSeconds: Double? = nil, warmUpRecords: Int? = nil
    ) throws {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
        let report = ProcessReport(
            records: records, seconds: seconds, cpu_seconds: cpuSeconds ?? cpu, peak_rss_mb: peakResidentMegabytes(), dead_lettered: deadLettered,
            output_records: outputRecords, generator_cpu_seconds: generatorCPUSeconds, warm_up_records: warmUpRecords)
        FileHandle.standardOutput.write(try JSONEncoder().encode(report) + Data("\n".utf8))
    }
}

/// Peak resident memory of this process image (VmHWM). Not `ru_maxrss`: a process started with
/// posix_spawn inherits its parent's high-water mark across exec, so every bench row would report
/// the bench's own (growing) memory.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}
