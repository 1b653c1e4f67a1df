import ArgumentParser
import Foundation

/// Where a measured worker keeps its state, and who removes it.
///
/// `sluice-bench run` gives every row a directory under one root of its own and removes the root
/// when the whole run is over. A row that removed its state as it exited made the next row pay
/// for it: on ext4 without a journal (this machine's) a new inode does not take the number of one
/// deleted in the last minute or so, and ext4 reads each candidate to find out, so the next row's
/// 64 stores (ten files each) searched past the previous row's deletions: 1-2% of a windowed
/// row's CPU, a third of the join's table load at worst. A worker in production keeps its state
/// when it stops, so no row removes its own.
/// Run by hand, without `--state-root`, a row uses a temporary directory and removes it itself.
struct BenchStateOptions: ParsableArguments {
    @Option(help: "Directory for this row's state, left in place (the caller removes it).")
    var stateRoot: String?

    /// Runs `body` with the state directory of the consumer group `group`.
    func withDirectory<R>(group: String, _ body: (String) throws -> R) rethrows -> R {
        if let stateRoot { return try body(URL(fileURLWithPath: stateRoot).appendingPathComponent(group).path) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(group)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }
}
