import Foundation

/// Where a measured worker keeps its state, and who removes it.
///
/// `sluice-bench run` gives its rows one root (in `SLUICE_BENCH_STATE_ROOT`) and removes it after
/// the last row, so that no row pays for another's cleanup: on an ext4 file system without a
/// journal (this machine's), a new file skips, one by one, every inode deleted in the last minutes,
/// and a stateful row that followed the deletion of another row's thousand RocksDB files spent
/// about a tenth of its CPU creating its own (`recently_deleted` in `perf`). A row run by hand
/// removes its own state on exit.
enum BenchStateDirectory {
    static let rootVariable = "SLUICE_BENCH_STATE_ROOT"

    /// The state directory of the worker of `group`, and whether the row must remove it itself.
    static func path(group: String) -> (path: String, removeOnExit: Bool) {
        if let root = ProcessInfo.processInfo.environment[rootVariable], !root.isEmpty {
            return ((root as NSString).appendingPathComponent(group), false)
        }
        return (FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(group)").path, true)
    }

    /// Creates the root for this run's rows and exports it to them; `removeRoot` after the last.
    static func makeRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-state-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        setenv(rootVariable, root, 1)
        return root
    }

    static func removeRoot(_ root: String) {
        unsetenv(rootVariable)
        try? FileManager.default.removeItem(atPath: root)
    }
}
