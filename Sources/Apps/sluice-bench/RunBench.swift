import ArgumentParser
import Foundation
import Sluice

/// `sluice-bench` (default): one embedded broker, one input, every row measured in its own process.
struct RunBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmark rows.")

    @Option(help: "Records in the input topic.")
    var records = 1_000_000

    @Option(help: "Path of the compiled C limit (bench/limit/rdkafka_pipe.c).")
    var limitBinary = ".build/bench/rdkafka_pipe"

    @Flag(help: "Print only the JSON rows.")
    var json = false

    func run() async throws {
        let broker = try EmbeddedBroker()
        let bootstrap = broker.bootstrapServers
        let partitions = BenchInput.partitions(for: records)
        try broker.createTopic("bench-input", partitions: partitions)
        log("input: \(records) click events in 'bench-input' (\(partitions) partitions) on \(bootstrap)")
        try BenchInput.produce(records, to: "bench-input", bootstrap: bootstrap)
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap), embedded: broker)
        let inputCount = try TopicCount.count("bench-input", admin: admin)
        guard inputCount.records == records, inputCount.evicted == 0 else {
            throw ValidationError("the input topic holds \(inputCount.records) of \(records) records; raise its partitions")
        }

        let me = CommandLine.arguments[0]
        let rows: [(String, [String], String?)] = [
            ("limit_c_pipe", [limitBinary], "librdkafka's C API, nothing else: the limit"),
            ("kafka_layer_pipe", [me, "pipe"], "the same pipe through Sluice's Swift Kafka layer"),
        ]
        var results: [BenchResult] = []
        for (name, command, note) in rows {
            try broker.createTopic("out-\(name)", partitions: partitions)
            log("row \(name) ...")
            let report = try MeasuredProcess.run(command + [bootstrap, "g-\(name)", "bench-input", "out-\(name)", "\(records)"])
            let out = try TopicCount.count("out-\(name)", admin: admin)
            results.append(BenchResult(name: name, report: report, expected: records, outputCount: out.evicted == 0 ? out.records : -out.evicted, note: note))
        }
        if let limit = results.first(where: { $0.name == "limit_c_pipe" && $0.valid }) {
            for i in results.indices where results[i].cpu_seconds_per_million > 0 {
                results[i].ratio_to_limit = limit.cpu_seconds_per_million / results[i].cpu_seconds_per_million
            }
        }
        if !json { BenchTable.print(results, cores: ProcessInfo.processInfo.activeProcessorCount) }
        for line in BenchTable.json(results) { print(line) }
        if results.contains(where: { !$0.valid }) { throw ExitCode.failure }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }
}

/// Counts a topic's records from its watermarks; `evicted` > 0 means the broker dropped some.
enum TopicCount {
    static func count(_ topic: String, admin: KafkaAdmin) throws -> (records: Int, evicted: Int) {
        let marks = try admin.watermarks(topic).values
        return (marks.reduce(0) { $0 + Int($1.high - $1.low) }, marks.reduce(0) { $0 + Int($1.low) })
    }
}

/// Runs a measured process and reads the report on its last line of stdout.
enum MeasuredProcess {
    static func run(_ command: [String]) throws -> ProcessReport {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let report = try? JSONDecoder().decode(ProcessReport.self, from: Data(lastLine.utf8)) else {
            throw ValidationError("\(command[0]) exited \(process.terminationStatus) without a report: \(lastLine)")
        }
        return report
    }
}
