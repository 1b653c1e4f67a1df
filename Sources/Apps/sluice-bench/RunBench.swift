import ArgumentParser
import Foundation
import ServiceLifecycle
import Sluice
import Topologies

/// `sluice-bench` (default): one embedded broker, one input, every row measured in its own process.
struct RunBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmark rows.")

    @Option(help: "Records in the input topic.")
    var records = 1_000_000

    @Option(help: "Path of the compiled C limit (bench/limit/rdkafka_pipe.c).")
    var limitBinary = ".build/bench/rdkafka_pipe"

    @Option(help: "Path of the JSON filter-map row's job in C++, compiled (bench/limit/json_filter_map.cpp).")
    var jsonLimitBinary = ".build/bench/json_filter_map"

    @Option(help: "Path of the stream-table join row's job in C++, compiled (bench/limit/stream_table_join.cpp).")
    var joinLimitBinary = ".build/bench/stream_table_join"

    @Flag(help: "Print only the JSON rows.")
    var json = false

    @Option(help: "Runs of every row; each row reports its median.")
    var repeats = 3

    @Option(help: "Nexmark events for the nexmark_* rows (0: skip them).")
    var nexmarkEvents = 500_000

    @Option(help: "Run only these rows (and the limit). Repeatable.")
    var only: [String] = []

    @Flag(inversion: .prefixedNo, help: "Run the peer rows (Quix Streams, from the virtual environment `make bench` creates).")
    var peers = true

    @Option(help: "The peers' virtual environment; `make bench` creates it and marks it with .installed.")
    var peersVenv = "bench/.venv"

    @Option(help: "Where the peers' apps are (quix_*.py).")
    var peersDirectory = "bench/peers"

    func run() async throws {
        let broker = try EmbeddedBroker()
        let bootstrap = broker.bootstrapServers
        // Worker rows run in other processes: give them the control channel to create topics.
        let (urls, announced) = AsyncStream.makeStream(of: String.self)
        let control = BrokerControlServer.application(for: broker, logger: .disabled) { announced.yield($0) }
        let server = Task { try await control.run() }
        defer { server.cancel() }
        var next = urls.makeAsyncIterator()
        if let url = await next.next() { try broker.announceControlChannel(url) }
        try BenchJSONCheck.checkJSONPaths()
        let partitions = BenchInput.partitions(for: records)
        try broker.createTopic("bench-input", partitions: partitions)
        log("input: \(records) click events in 'bench-input' (\(partitions) partitions) on \(bootstrap)")
        try BenchInput.produce(records, to: "bench-input", bootstrap: bootstrap)
        // The user table of the join row, co-partitioned with the input as the join requires.
        try broker.createTopic(BenchInput.usersTopic, partitions: partitions)
        try BenchInput.produceUsers(to: BenchInput.usersTopic, bootstrap: bootstrap)
        let admin = try KafkaAdmin.connect(KafkaConfig(bootstrapServers: bootstrap), embedded: broker)
        let inputCount = try TopicCount.count("bench-input", admin: admin)
        guard inputCount.records == records, inputCount.evicted == 0 else {
            throw ValidationError("the input topic holds \(inputCount.records) of \(records) records; raise its partitions")
        }
        let userCount = try TopicCount.count(BenchInput.usersTopic, admin: admin)
        guard userCount.records == BenchInput.users, userCount.evicted == 0 else {
            throw ValidationError("the user table topic holds \(userCount.records) of \(BenchInput.users) rows")
        }

        // Every worker row keeps its state here until the whole run is over (BenchStateOptions).
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-state-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: stateRoot) }
        let keepsState = ["--state-root", stateRoot]

        var nexmarkRows: [Row] = []
        if nexmarkEvents > 0 && (only.isEmpty || only.contains { $0.hasPrefix("nexmark") }) {
            // Nexmark's JSON events average about 330 bytes, against the click events' 240.
            try broker.createTopic(NexmarkEvents.topic, partitions: BenchInput.partitions(for: nexmarkEvents * 2))
            log("input: \(nexmarkEvents) Nexmark events (Beam's generator, default configuration) in '\(NexmarkEvents.topic)'")
            try NexmarkEvents.produce(nexmarkEvents, to: bootstrap)
            let held = try TopicCount.count(NexmarkEvents.topic, admin: admin)
            guard held.records == nexmarkEvents, held.evicted == 0 else {
                throw ValidationError("the Nexmark topic holds \(held.records) of \(nexmarkEvents) events; raise its partitions")
            }
            let expected = try NexmarkEvents.expectedRows(nexmarkEvents)
            let unchecked = "output count not checked: no reference implementation here yet"
            let queries: [(query: String, expectedOutput: Int, note: String)] = [
                ("q0", expected.bids, "Nexmark q0: every bid, JSON in and out"),
                ("q1", expected.bids, "Nexmark q1: bid prices to euros"),
                ("q2", expected.q2, "Nexmark q2: bids on every 123rd auction"),
                ("q3", expected.q3, "Nexmark q3: category-10 auctions joined with their OR/ID/CA sellers (foreign-key table join), each once"),
                ("q4", -1, "Nexmark q4: average winning bid per category; output not checked: an update stream, its record count depends on how updates interleave"),
                ("q5", -1, "Nexmark q5: hot auctions per 10 s window every 2 s; \(unchecked)"),
                ("q7", -1, "Nexmark q7: highest bids per 10 s window; \(unchecked)"),
                ("q8", -1, "Nexmark q8: persons who sell in the 10 s window they registered in; \(unchecked)"),
                ("q11", -1, "Nexmark q11: bids per bidder session (10 s gap); \(unchecked)"),
                ("q12", -1, "Nexmark q12: bids per bidder per 10 s of processing time; \(unchecked)"),
            ]
            for q in queries {
                nexmarkRows.append(
                    Row(name: "nexmark_\(q.query)", command: [CommandLine.arguments[0], "nexmark", q.query] + keepsState,
                        expectedOutput: q.expectedOutput, note: q.note, input: NexmarkEvents.topic, inputRecords: nexmarkEvents,
                        outputTopic: "nexmark-\(q.query)", nexmarkQuery: q.query))
                // The same query under the conditions of Flink's figures (FlinkNexmarkFigures), with
                // as many tasks as Flink's parallelism where the Kafka rows have the 64 partitions the
                // embedded broker's per-partition limit asks for.
                let conditions = "without Kafka, as Flink's figures are measured (the generator in the process, 8 tasks, RocksDB, results dropped, "
                    + "CPU counted after a warm-up of a fifth of the events; JSON read and written, which Flink's rows skip)"
                nexmarkRows.append(
                    Row(name: "nexmark_\(q.query)_no_kafka",
                        command: [CommandLine.arguments[0], "nexmark-in-process", q.query, "--partitions", "8"] + keepsState,
                        expectedOutput: q.expectedOutput, note: "\(q.note); \(conditions)", input: NexmarkEvents.topic,
                        inputRecords: nexmarkEvents, nexmarkQuery: q.query, withoutKafka: true))
            }
        }

        let me = CommandLine.arguments[0]
        let classic: [(name: String, command: [String], expectedOutput: Int, note: String?)] = [
            ("limit_c_pipe", [limitBinary], records, "librdkafka's C API, nothing else: the limit"),
            ("kafka_layer_pipe", [me, "pipe"], records, "the same pipe through Sluice's Swift Kafka layer"),
            ("topology_passthrough", [me, "topology", "passthrough"], records, "a Sluice topology: bytes in, bytes out, at-least-once commits"),
            ("topology_json_filter_map", [me, "topology", "json-filter-map"],
             BenchTopologies.expectedOutput("json-filter-map", records: records, partitions: partitions),
             "decode JSON, keep clicks, reshape, encode JSON; types that read and write themselves (FastJSONDecodable/Encodable)"),
            ("topology_json_filter_map_codable", [me, "topology", "json-filter-map-codable"],
             BenchTopologies.expectedOutput("json-filter-map", records: records, partitions: partitions),
             "the same through Codable (codableOnly): what plain Codable types cost"),
            ("topology_bytes_filter_map", [me, "topology", "bytes-filter-map"],
             BenchTopologies.expectedOutput("bytes-filter-map", records: records, partitions: partitions),
             "the JSON row's shape on raw bytes (no goal): what that row costs besides its JSON"),
            ("windowed_count_10s", [me, "topology", "windowed-count"],
             BenchTopologies.expectedOutput("windowed-count", records: records, partitions: partitions),
             "count per user in 10 s tumbling windows, RocksDB, final results (emitted on window close)"),
            ("windowed_count_10s_eos", [me, "topology", "windowed-count", "--guarantee", "exactly-once"],
             BenchTopologies.expectedOutput("windowed-count", records: records, partitions: partitions),
             "the same windowed count under exactly-once: a transaction per 1 s commit interval"),
            ("hopping_aggregate_10s_5s", [me, "topology", "hopping-aggregate"],
             BenchTopologies.expectedOutput("hopping-aggregate", records: records, partitions: partitions),
             "bytes per user in 10 s windows every 5 s, RocksDB, final results (emitted on window close)"),
            // Inner join: every event's user is in the table, so a record missing from the output
            // is an event joined before its user's row was read.
            ("stream_table_join", [me, "topology", "stream-table-join"], records,
             "decode JSON events, join each with its user of a \(BenchInput.users / 1000)k-row RocksDB table restored from its topic "
                + "(changelog: .sourceTopic), encode JSON; CPU includes reading the table"),
            ("stream_table_join_bytes", [me, "topology", "bytes-table-join"], records,
             "the join row's shape on raw bytes (no goal): what that row costs besides its JSON"),
        ]
        var peerRows = peers ? quixRows(records: records, partitions: partitions) : [:]
        // The JSON rows' jobs written by hand in C++ (simdjson, strings read in place): how far
        // each row is from what its job can cost, besides its ratio to a pipe that parses nothing.
        func handWritten(
            _ name: String, _ binary: String, source: String, arguments: [String] = [], counterpart: String, expectedOutput: Int, note: String
        ) -> Row {
            let missing = FileManager.default.isExecutableFile(atPath: binary) ? nil : "no \(binary) (`make bench` builds it from \(source))"
            return Row(
                name: name, command: [binary], expectedOutput: expectedOutput, note: note, counterpart: counterpart, notRunReason: missing,
                extraArguments: arguments)
        }
        peerRows["topology_json_filter_map", default: []].insert(
            handWritten(
                "limit_cpp_json_filter_map", jsonLimitBinary, source: "bench/limit/json_filter_map.cpp", counterpart: "topology_json_filter_map",
                expectedOutput: BenchTopologies.expectedOutput("json-filter-map", records: records, partitions: partitions),
                note: "the JSON row's job in C++ with librdkafka and simdjson's On-Demand API (every member read, strings as views, no copies)"),
            at: 0)
        peerRows["stream_table_join", default: []].insert(
            handWritten(
                "limit_cpp_stream_table_join", joinLimitBinary, source: "bench/limit/stream_table_join.cpp", arguments: [BenchInput.usersTopic],
                counterpart: "stream_table_join", expectedOutput: records,
                note: "the join row's job in C++: simdjson On-Demand, the table in one RocksDB and an open-addressed table in front, "
                    + "CPU includes reading the table; no changelog, no commits"),
            at: 0)
        let rows = (classic.flatMap { c in
            let command = c.command.count > 1 && c.command[1] == "topology" ? c.command + keepsState : c.command
            return [Row(name: c.name, command: command, expectedOutput: c.expectedOutput, note: c.note)] + (peerRows[c.name] ?? [])
        } + nexmarkRows)
            .filter { only.isEmpty || only.contains($0.name) || $0.name == "limit_c_pipe" }
        // Rows run in turns, `repeats` times, and each reports its median run: a shared 2-core
        // machine is noisy, and turns spread the noise over every row alike. The limit runs just
        // before every run of every row, and a row's ratio is the median of its runs' ratios to
        // the limit's run just before each: the machine's speed drifts within a run by more than
        // a goal's margin, and a run and the limit's run just before it share the moment. (Until
        // 12-07 the ratio divided the limit's median over all its runs by the row's median; in the
        // run of 17:01 the limit took 1.22–2.41 CPU s/M over its 72 runs, and the passthrough's
        // three runs measured 0.87–0.90× against the limit's runs just before them but 0.74× from
        // the two medians.) The note gives the range of those ratios.
        guard let limit = rows.first(where: { $0.name == "limit_c_pipe" }) else { throw ValidationError("no limit row") }
        let measured = rows.filter { $0.name != limit.name }
        try broker.createTopic("out-\(limit.name)", partitions: partitions)
        var runs: [String: [BenchResult]] = [:]
        var ratios: [String: [Double]] = [:]
        var limitRuns = 0
        func measure(_ row: Row, group: String, output: String) throws -> BenchResult {
            let arguments = [bootstrap, group, row.input, output, "\(row.inputRecords ?? records)"] + row.extraArguments
            if row.withoutKafka {
                let report = try MeasuredProcess.run(row.command + arguments)
                return BenchResult(
                    name: row.name, report: report, expected: row.inputRecords ?? records, expectedOutput: row.expectedOutput,
                    outputCount: report.output_records ?? -1, note: row.note)
            }
            let before = try TopicCount.count(output, admin: admin)
            let report = try MeasuredProcess.run(row.command + arguments)
            let counted = try TopicCount.count(output, admin: admin)
            return BenchResult(
                name: row.name, report: report, expected: row.inputRecords ?? records, expectedOutput: row.expectedOutput,
                outputCount: counted.written - before.written, note: row.note)
        }
        func measureLimit() throws -> BenchResult {
            limitRuns += 1
            // Every run of the limit writes one topic: the count is the rise of its high watermarks.
            let result = try measure(limit, group: "g-\(limit.name)-\(limitRuns)", output: "out-\(limit.name)")
            runs[limit.name, default: []].append(result)
            return result
        }
        for turn in 0..<repeats {
            if measured.allSatisfy({ $0.notRunReason != nil || $0.withoutKafka }) {
                log("row \(limit.name), run \(turn + 1) of \(repeats) ...")
                _ = try measureLimit()
            }
            for row in measured {
                if let reason = row.notRunReason {
                    runs[row.name, default: []].append(.notRun(row.name, reason: reason))
                    continue
                }
                if row.withoutKafka {
                    // No broker, so no ratio to the limit and no run of it first.
                    log("row \(row.name), run \(turn + 1) of \(repeats) ...")
                    runs[row.name, default: []].append(try measure(row, group: "g-\(row.name)-\(turn)", output: "-"))
                    continue
                }
                let out = row.output(turn: turn)
                try broker.createTopic(out, partitions: partitions)
                log("row \(row.name), run \(turn + 1) of \(repeats), after a run of the limit ...")
                let before = try measureLimit()
                let result = try measure(row, group: "g-\(row.name)-\(turn)", output: out)
                runs[row.name, default: []].append(result)
                if before.valid, result.valid, result.cpu_seconds_per_million > 0 {
                    ratios[row.name, default: []].append(before.cpu_seconds_per_million / result.cpu_seconds_per_million)
                }
            }
        }
        var results: [BenchResult] = rows.map { row in
            let all = runs[row.name]!.sorted { $0.cpu_seconds_per_million < $1.cpu_seconds_per_million }
            var median = all[all.count / 2]
            if all.contains(where: { !$0.valid }) { median = all.first { !$0.valid }! }
            if all.count > 1, median.valid, median.not_run == nil {
                median.note = (median.note.map { $0 + "; " } ?? "")
                    + String(format: "median of %d runs, CPU s/M %.2f–%.2f", all.count, all.first!.cpu_seconds_per_million, all.last!.cpu_seconds_per_million)
            }
            return median
        }
        let withoutKafka = Set(rows.filter(\.withoutKafka).map(\.name))
        if let limitResult = results.first(where: { $0.name == limit.name && $0.valid }) {
            for i in results.indices
            where results[i].valid && results[i].not_run == nil && results[i].cpu_seconds_per_million > 0 && !withoutKafka.contains(results[i].name) {
                if let paired = ratios[results[i].name]?.sorted(), !paired.isEmpty {
                    results[i].ratio_to_limit = median(paired)
                    results[i].note = (results[i].note.map { $0 + "; " } ?? "")
                        + String(format: "ratio to the limit's run just before each run: %.2f–%.2f×", paired.first!, paired.last!)
                } else {
                    results[i].ratio_to_limit = limitResult.cpu_seconds_per_million / results[i].cpu_seconds_per_million
                }
            }
        }
        // A job written by hand must write what its Sluice row writes (first turns compared).
        for row in rows where row.name.hasPrefix("limit_cpp_") {
            guard let counterpart = row.counterpart, let other = rows.first(where: { $0.name == counterpart }),
                let i = results.firstIndex(where: { $0.name == row.name }), results[i].valid,
                results.contains(where: { $0.name == counterpart && $0.valid })
            else { continue }
            let outcome = try OutputComparison.compare(row.output(turn: 0), with: other.output(turn: 0), bootstrap: bootstrap)
            if let difference = outcome.difference {
                results[i].valid = false
                results[i].note = "INVALID: its output is not \(counterpart)'s: \(difference)"
            } else {
                results[i].note = (results[i].note.map { $0 + "; " } ?? "")
                    + "its output equals \(counterpart)'s, record for record (\(outcome.records) records of the first turns)"
            }
        }
        // A peer's note also gives its ratio to its Sluice counterpart: the counterpart's CPU per
        // record over the peer's, read like the ratio to the limit (below 1: the peer costs more;
        // above 1, as against the JSON row's C++ job: Sluice does).
        for row in rows {
            guard let counterpart = row.counterpart, let i = results.firstIndex(where: { $0.name == row.name }),
                results[i].valid, let sluice = results.first(where: { $0.name == counterpart && $0.valid }),
                results[i].cpu_seconds_per_million > 0
            else { continue }
            let ratio = sluice.cpu_seconds_per_million / results[i].cpu_seconds_per_million
            let reading =
                ratio < 1
                ? String(format: "Sluice uses %.1f× less CPU per record", 1 / ratio)
                : String(format: "Sluice uses %.2f× this row's CPU per record", ratio)
            results[i].note = (results[i].note.map { $0 + "; " } ?? "") + String(format: "ratio to %@: %.2f× (%@)", counterpart, ratio, reading)
        }
        for row in rows {
            guard let query = row.nexmarkQuery, let i = results.firstIndex(where: { $0.name == row.name }),
                let note = FlinkNexmarkFigures.note(query: query, result: results[i])
            else { continue }
            results[i].note = (results[i].note.map { $0 + "; " } ?? "") + note
        }
        for goal in BenchGoal.all {
            guard let verdict = goal.verdict(results, paired: ratios), let i = results.firstIndex(where: { $0.name == goal.row }) else { continue }
            results[i].goal = verdict.text
            results[i].goal_met = verdict.met
        }
        if !json { BenchTable.print(results, cores: ProcessInfo.processInfo.activeProcessorCount) }
        for line in BenchTable.json(results) { print(line) }
        if results.contains(where: { !$0.valid }) { throw ExitCode.failure }
    }

    /// The Quix Streams rows, by the Sluice row each stands after. They run the apps of
    /// bench/peers in the virtual environment `make bench` installs from bench/peers/requirements.txt.
    private func quixRows(records: Int, partitions: Int) -> [String: [Row]] {
        let python = "\(peersVenv)/bin/python"
        let installed = FileManager.default.fileExists(atPath: "\(peersVenv)/.installed")
            && FileManager.default.isExecutableFile(atPath: python)
        func row(_ name: String, _ script: String, after counterpart: String, expectedOutput: Int, note: String) -> Row {
            let path = "\(peersDirectory)/\(script)"
            var reason: String?
            if !installed {
                reason = "no Quix Streams environment at \(peersVenv) (`make bench` creates it with pip from bench/peers/requirements.txt; did the install fail?)"
            } else if !FileManager.default.fileExists(atPath: path) {
                reason = "no \(path): run the bench from the repository's root"
            }
            // Python's -u: the report line must not wait in a buffer.
            return Row(
                name: name, command: [python, "-u", path], expectedOutput: expectedOutput, note: note,
                counterpart: counterpart, notRunReason: reason)
        }
        let common = "Quix Streams \(quixVersion() ?? "3.x") (Python), auto_create_topics=False and topics answered from metadata (the embedded broker has no DescribeConfigs)"
        return [
            "topology_passthrough": [
                row("quix_passthrough", "quix_passthrough.py", after: "topology_passthrough", expectedOutput: records,
                    note: "\(common): bytes in, bytes out, at-least-once commits every 1 s")
            ],
            "windowed_count_10s": [
                row("quix_windowed_count_10s", "quix_windowed_count.py", after: "windowed_count_10s",
                    expectedOutput: BenchTopologies.expectedOutput("windowed-count", records: records, partitions: partitions),
                    note: "\(common): count per user in 10 s tumbling windows of the Kafka timestamps, final results, "
                        + "closing_strategy=partition (a window closes when its partition's event time passes it, the rule the expected count follows), "
                        + "RocksDB state WITHOUT a changelog topic (use_changelog_topics=False), which flatters Quix: Sluice's row writes its changelog")
            ],
        ]
    }

    /// The installed quixstreams version, from the environment's package metadata.
    private func quixVersion() -> String? {
        let lib = "\(peersVenv)/lib"
        guard let pythons = try? FileManager.default.contentsOfDirectory(atPath: lib) else { return nil }
        for p in pythons {
            let site = "\(lib)/\(p)/site-packages"
            if let dist = (try? FileManager.default.contentsOfDirectory(atPath: site))?.first(where: {
                $0.hasPrefix("quixstreams-") && $0.hasSuffix(".dist-info")
            }) {
                return String(dist.dropFirst("quixstreams-".count).dropLast(".dist-info".count))
            }
        }
        return nil
    }

    /// The middle of `sorted`, or the mean of its two middle values.
    private func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }
}

/// One row of the table: a measured process, what it reads, and what it must write.
struct Row {
    var name: String
    var command: [String]
    /// Records the row must write; negative: not checked (the note says why).
    var expectedOutput: Int
    var note: String?
    var input = "bench-input"
    var inputRecords: Int?
    /// Where the row writes, when the topology names its own topic.
    var outputTopic: String?
    /// The Sluice row a peer row is compared with.
    var counterpart: String?
    /// Set when the row cannot run here: it is reported as not run, never as passed.
    var notRunReason: String?
    /// The Nexmark query a row runs, for its note on Flink's figure.
    var nexmarkQuery: String?
    /// A row with no broker: it counts its own output, and has no ratio to the limit.
    var withoutKafka = false
    /// Arguments after the bench's five (bootstrap, group, input, output, records).
    var extraArguments: [String] = []

    /// The topic the row's run of `turn` writes (a Nexmark query writes its own in every turn).
    func output(turn: Int) -> String { outputTopic ?? "out-\(name)-\(turn)" }
}

/// Counts a topic's records from its watermarks: those it holds, those the broker dropped
/// (`evicted` > 0), and all ever written (the high watermarks, which eviction leaves alone).
///
/// A row's output is what its run wrote: the rise of the high watermarks. A Nexmark query writes
/// one topic in every turn, and by the third turn of q0 the embedded broker had dropped the oldest
/// records of some partitions (DESIGN.md §4), which made a count of what the topic held wrong.
enum TopicCount {
    static func count(_ topic: String, admin: KafkaAdmin) throws -> (records: Int, evicted: Int, written: Int) {
        let marks = try admin.watermarks(topic).values
        return (
            marks.reduce(0) { $0 + Int($1.high - $1.low) }, marks.reduce(0) { $0 + Int($1.low) },
            marks.reduce(0) { $0 + Int($1.high) }
        )
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
