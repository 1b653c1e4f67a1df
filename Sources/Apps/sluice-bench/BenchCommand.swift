import ArgumentParser
import Dispatch

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Sluice's benchmarks: ratios to the raw librdkafka pipe, measured in one run.",
        subcommands: [
            RunBench.self, PipeCommand.self, TopologyCommand.self, PrepareCommand.self, NexmarkCommand.self, NexmarkInProcessCommand.self,
            TopologyInProcessCommand.self,
        ],
        defaultSubcommand: RunBench.self)

    /// A synchronous main: an async one hands the main thread to `dispatch_main`, where valgrind
    /// 3.19 crashes, and the rows run without Kafka are what `valgrind --tool=callgrind` counts
    /// instructions of. `RunBench`, the one async command, runs as a task while this thread waits.
    static func main() {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        guard let async = command as? any AsyncParsableCommand else {
            var sync = command
            do { try sync.run() } catch { exit(withError: error) }
            return
        }
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        nonisolated(unsafe) var running = async
        Task.detached {
            do { try await running.run() } catch { failure = error }
            finished.signal()
        }
        finished.wait()
        if let failure { exit(withError: failure) }
    }
}
