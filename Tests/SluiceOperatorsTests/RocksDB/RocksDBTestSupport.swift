import Foundation
import SluiceOperators

/// Runs `body` with a new, empty directory, removed afterwards whatever happens.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("sluice-rocksdb-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// What a crash would leave on disk: a copy of the store's files taken while the instance is open.
///
/// An in-process test cannot kill itself, but the files are all a crash leaves behind, so opening
/// a copy made at this moment is opening the store after a crash at this moment. RocksDB writes
/// through the OS (no process-local buffering of the WAL when it is on), so the copy sees every
/// write the kernel has; the copy is consistent as long as no flush or compaction runs meanwhile.
func crashImage(of path: String, to copy: String) throws {
    try FileManager.default.copyItem(atPath: path, toPath: copy)
}

/// UTF-8 bytes of a string, for readable keys.
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A small environment, so tests do not each reserve 64 MiB of cache.
func smallEnvironment(expectedInstances: Int = 8) throws -> RocksDBEnvironment {
    try RocksDBEnvironment(
        blockCacheBytes: 8 << 20, writeBufferBudgetBytes: 16 << 20, expectedInstances: expectedInstances)
}

extension RocksDBInstance {
    /// The keys of `[from, to)` in the order visited, copied.
    func keys(from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false) throws -> [[UInt8]] {
        var keys: [[UInt8]] = []
        try iterate(from: from, to: to, reverse: reverse) { k, _ in
            keys.append(Array(k))
            return true
        }
        return keys
    }

    /// The keys starting with `prefix`, in the order visited, copied.
    func keys(prefix: [UInt8], reverse: Bool = false) throws -> [[UInt8]] {
        var keys: [[UInt8]] = []
        try prefixScan(prefix, reverse: reverse) { k, _ in
            keys.append(Array(k))
            return true
        }
        return keys
    }
}
