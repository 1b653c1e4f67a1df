import Foundation
import Testing

/// `SLUICE_EXIT_WITH_PARENT`: a `sluice` process ends once the process that started it is gone.
@Suite("sluice exits with its parent when asked")
struct ParentWatchTests {
    /// Whether `pid` still runs: a zombie has ended (whoever adopted it may not reap it at once).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    @Test func aBrokerWhoseParentIsKilledExits() async throws {
        try await blocking {
            // A shell starts the broker and waits; the shell is the parent that dies.
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "\"$0\" broker >/dev/null 2>&1 & echo $!; wait", ChildProcess.sluice.path]
            shell.environment = ProcessInfo.processInfo.environment.merging(["SLUICE_EXIT_WITH_PARENT": "1"]) { $1 }
            let out = Pipe()
            shell.standardOutput = out
            try shell.run()
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            let broker = try #require(Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)), "the shell printed \(line)")
            defer { if Self.isRunning(broker) { kill(broker, SIGKILL) } }
            #expect(eventually(timeout: .seconds(10)) { Self.isRunning(broker) }, "the broker started")
            Thread.sleep(forTimeInterval: 1)
            #expect(Self.isRunning(broker), "the broker runs while its parent does")

            // Not `waitUntilExit()`: Foundation learns of the exit through a descriptor the broker
            // inherited too, so it would wait for the broker.
            kill(shell.processIdentifier, SIGKILL)
            #expect(eventually(timeout: .seconds(10)) { !Self.isRunning(broker) }, "the broker exits once its parent is gone")
        }
    }
}
