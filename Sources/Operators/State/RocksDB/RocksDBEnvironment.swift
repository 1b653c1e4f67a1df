import Synchronization

/// What every RocksDB instance of one worker shares: one block cache and one write-buffer budget.
///
/// Memory is bounded per worker, not per store (DESIGN.md §3): a worker may own dozens of tasks,
/// each with several stores, and RocksDB's defaults (its own 8 MiB cache and 2 × 64 MiB memtables
/// per instance) would grow with every task assigned. Create one environment per worker and pass
/// it to every `RocksDBInstance` the worker opens.
///
/// - **Block cache**: a single LRU cache (`rocksdb_cache_create_lru`) shared by all instances. Data
///   blocks, and index and filter blocks too, are charged to it, so reads of all stores together
///   stay near `blockCacheBytes`.
/// - **Write buffers**: RocksDB 7.8's C API has no write-buffer manager, so the budget is split
///   when an instance opens; see ``writeBufferSize(budget:expectedInstances:openInstances:maxWriteBufferNumber:)``.
///
/// - Important: thread-safe; instances on any thread may open and close through one environment.
public final class RocksDBEnvironment: Sendable {
    /// The smallest memtable an instance gets, whatever the budget: below about 1 MiB every few
    /// thousand records would become an L0 file, and flushing and compacting those costs more than
    /// the memory saved.
    public static let minWriteBufferBytes = 1 << 20
    /// The largest memtable an instance gets (RocksDB's own default): a bigger one only delays the
    /// flush and lengthens a restart's replay, it does not speed up writes.
    public static let maxWriteBufferBytes = 64 << 20

    /// Capacity of the shared block cache. Default: 64 MiB.
    public let blockCacheBytes: Int
    /// Memory all instances' memtables should stay within. Default: 64 MiB.
    public let writeBufferBudgetBytes: Int
    /// How many instances the worker expects to hold open at once (tasks × stores). Default: 8.
    public let expectedInstances: Int

    let cache: RocksDBCache
    /// Instances opened through this environment and not yet closed.
    private let open = Mutex(0)

    /// - Parameters:
    ///   - blockCacheBytes: capacity of the one LRU block cache. Default: 64 MiB.
    ///   - writeBufferBudgetBytes: memtable memory for all instances together. Default: 64 MiB.
    ///   - expectedInstances: instances the budget is split among before more are open. Default: 8.
    /// - Throws: `RocksDBError` with code `.configuration` if a value is not positive.
    public init(
        blockCacheBytes: Int = 64 << 20, writeBufferBudgetBytes: Int = 64 << 20, expectedInstances: Int = 8
    ) throws(RocksDBError) {
        for (name, value) in [
            ("blockCacheBytes", blockCacheBytes), ("writeBufferBudgetBytes", writeBufferBudgetBytes),
            ("expectedInstances", expectedInstances),
        ] where value <= 0 {
            throw RocksDBError(.configuration, context: "creating a RocksDB environment", message: "\(name) must be positive, got \(value)")
        }
        self.blockCacheBytes = blockCacheBytes
        self.writeBufferBudgetBytes = writeBufferBudgetBytes
        self.expectedInstances = expectedInstances
        cache = RocksDBCache(capacity: blockCacheBytes)
    }

    /// Instances opened through this environment and not yet closed (a metric).
    public var openInstances: Int { open.withLock { $0 } }

    /// Bytes now held in the shared block cache, across all instances (a metric).
    public var blockCacheUsage: Int { cache.usage }

    /// The memtable size (`write_buffer_size`) an instance gets when it opens.
    ///
    /// `budget / max(expectedInstances, openInstances + 1) / maxWriteBufferNumber`, clamped to
    /// [``minWriteBufferBytes``, ``maxWriteBufferBytes``]. Why this shape:
    /// - An instance may hold up to `maxWriteBufferNumber` memtables (one active, the others waiting
    ///   for their flush), so its share is divided by that number.
    /// - Dividing by `expectedInstances` even while fewer are open keeps the first instances from
    ///   taking the whole budget and leaving nothing to those a rebalance assigns next.
    /// - Once more than expected are open, each newcomer gets a smaller share. Instances already
    ///   open keep theirs (the size is fixed at open), so the total can then exceed the budget by up
    ///   to one share per extra instance; the floor can exceed it too. Set `expectedInstances` to
    ///   what the worker really hosts.
    public static func writeBufferSize(
        budget: Int, expectedInstances: Int, openInstances: Int, maxWriteBufferNumber: Int
    ) -> Int {
        let sharers = max(expectedInstances, openInstances + 1, 1)
        let share = budget / sharers / max(maxWriteBufferNumber, 1)
        return min(max(share, minWriteBufferBytes), maxWriteBufferBytes)
    }

    /// Counts an opening instance in and returns its memtable size, both under one lock so that
    /// instances opening at once on several threads get consistent shares. Every call must be
    /// balanced by one `instanceClosed()`, also when the open then fails.
    func instanceOpening(maxWriteBufferNumber: Int) -> Int {
        open.withLock { count in
            let size = Self.writeBufferSize(
                budget: writeBufferBudgetBytes, expectedInstances: expectedInstances, openInstances: count,
                maxWriteBufferNumber: maxWriteBufferNumber)
            count += 1
            return size
        }
    }

    func instanceClosed() {
        open.withLock { count in
            precondition(count > 0, "RocksDBEnvironment: more instances closed than opened")
            count -= 1
        }
    }
}
