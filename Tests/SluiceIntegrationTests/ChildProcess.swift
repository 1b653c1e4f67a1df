import Foundation
import Synchronization
import Testing

/// A `sluice` process started by a test: its output collected, stopped or killed on demand.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `output` is behind a Mutex; `process` is only started and signalled.
    let process = Process()
    private let output = Mutex<String>("")
    let name: String

    /// The `sluice` executable built next to the test bundle.
    static var sluice: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice")
    }

    init(_ name: String, _ arguments: [String]) throws {
        self.name = name
        process.executableURL = Self.sluice
        process.arguments = arguments
        // If this test process dies, its children end too instead of loading the next run.
        process.environment = ProcessInfo.processInfo.environment.merging(["SLUICE_EXIT_WITH_PARENT": "1"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if !data.isEmpty { self?.output.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
    }

    var text: String { output.withLock { $0 } }

    /// Waits until the output contains a line matching `predicate`; returns it.
    func waitForLine(timeout: Duration = .seconds(30), _ predicate: (String) -> Bool) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = text.split(separator: "\n").map(String.init).first(where: predicate) { return line }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// SIGTERM, then waits for the exit. - Returns: the exit status.
    @discardableResult
    func terminate(timeout: Duration = .seconds(30)) -> Int32 {
        if process.isRunning { process.terminate() }
        return wait(timeout: timeout)
    }

    /// Waits for the process to end by itself (SIGKILL after `timeout`). - Returns: the exit status.
    func terminateWhenDone(timeout: Duration) -> Int32 { wait(timeout: timeout) }

    /// SIGKILL: no chance to commit or leave the group.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        _ = wait(timeout: .seconds(10))
    }

    private func wait(timeout: Duration) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 0.2)  // let the last output arrive
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal && Self.crashSignals.contains(status) {
            // Whatever the test expects of the exit, a child that crashed (a Swift runtime trap is
            // SIGILL or SIGTRAP) is a defect: tests that only wanted "not zero" would pass it.
            Issue.record("\(name) crashed with signal \(status):\n\(text)")
        }
        return status
    }

    private static let crashSignals: Set<Int32> = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A `sluice broker` process and its bootstrap address.
final class BrokerProcess: Sendable {
    let child: ChildProcess
    let bootstrap: String

    init(topics: [String]) throws {
        child = try ChildProcess("broker", ["broker"] + topics.flatMap { ["--topic", $0] })
        guard let line = child.waitForLine({ $0.contains(":") && !$0.contains("=") && !$0.contains(" ") }) else {
            throw BrokerDidNotStart(output: child.text)
        }
        bootstrap = line
    }

    struct BrokerDidNotStart: Error { let output: String }
}

/// The `received` count of an operator in a worker's closing summary.
func summaryCount(_ output: String, operator name: String) -> Int? {
    for line in output.split(separator: "\n") where line.hasPrefix(name + " ") {
        let fields = line.split(separator: " ")
        if fields.count >= 2 { return Int(fields[1]) }
    }
    return nil
}
