import Synchronization

/// The one RocksDB database of a worker's state stores (DESIGN.md §3): every task's stores are
/// ranges of it, under a prefix of store and partition.
///
/// One database, not one per task and store: each open and close of a database costs 3-4 ms of
/// CPU (its files, its manifest, its options file, a flush), which a worker of 64 partitions paid
/// 64 times per store at every start and rebalance, and each database held memtables of its own.
/// Column families would keep stores apart, but RocksDB rewrites its options file with each new
/// family, which cost more than a database's open (8.4 ms). Kafka Streams has one database per
/// store and task; its stores' rows there are the same as here, only their keys are prefixed.
///
/// Keys:
/// - `0x01, store id (4 bytes), partition (4 bytes), key`: a row of a store for a partition.
/// - `0x00, "s", store name`: the id of the store named so (4 bytes, big-endian). Ids are given at a
///   store's first open and kept for good, so a store's rows never change hands when a topology
///   gains or loses stores.
/// - `0x00, "c", store id, partition`: the changelog offset the store holds its changelog up to
///   (8 bytes, big-endian), written after the rows it describes. With the write-ahead log off, a
///   crash keeps a prefix of the writes (RocksDB flushes memtables in order), so a checkpoint
///   that survives describes rows that survived too.
public final class RocksDBStoreDatabase: Sendable {
    let database: RocksDBInstance.Shared
    /// Store ids by name, as the database holds them.
    let ids: Mutex<[String: UInt32]>
    /// Which ranges (a store's prefix for a partition) stores have open now, and when each last
    /// closed: a range neither open nor used for a while belongs to a task that moved away.
    let use = Mutex(RangeUse())
    let openedAt = ContinuousClock.now

    struct RangeUse {
        var open: [[UInt8]: Int] = [:]
        var closed: [[UInt8]: ContinuousClock.Instant] = [:]
    }

    /// Opens (or creates) the database at `path`.
    /// - Throws: `RocksDBError`: `.open` if another process (or another open here) holds it.
    public init(path: String, environment: RocksDBEnvironment) throws {
        let instance = try RocksDBInstance(path: path, environment: environment)
        defer { instance.close() }
        var known: [String: UInt32] = [:]
        try instance.prefixScan(Self.namePrefix) { key, value in
            guard value.count == 4 else {
                throw RocksDBError(.read, context: "reading store ids in \(path)", message: "an id of \(value.count) bytes, not 4")
            }
            let name = String(decoding: key.dropFirst(Self.namePrefix.count), as: UTF8.self)
            known[name] = UInt32(bigEndian: value.loadUnaligned(as: UInt32.self))
            return true
        }
        database = try instance.shared()
        ids = Mutex(known)
    }

    /// The bytes of store `location.store` for `location.task`'s partition. The application is
    /// the database's own (one database per application's state directory).
    public func open(_ location: StoreLocation) throws -> RocksDBBytesStore {
        let id = try storeID(location.store)
        var range: [UInt8] = [Self.rowTag]
        Self.appendBigEndian(id, to: &range)
        Self.appendBigEndian(UInt32(bitPattern: location.task.partition), to: &range)
        use.withLock { $0.open[range, default: 0] += 1 }
        return RocksDBBytesStore(
            sharing: database, prefix: range, checkpointKey: Self.checkpointKey(range),
            onClose: { [self] in closed(range) })
    }

    /// A store of `range` closed.
    private func closed(_ range: [UInt8]) {
        use.withLock { use in
            use.closed[range] = .now
            let stillOpen = use.open[range, default: 1] - 1
            use.open[range] = stillOpen > 0 ? stillOpen : nil
        }
    }

    /// Makes every store's committed writes, and their checkpoints, survive a crash: RocksDB writes
    /// its memtables out (the write-ahead log is off) and waits for the disk.
    public func flush() throws {
        let instance = RocksDBInstance(sharing: database)
        defer { instance.close() }
        try instance.flush()
    }

    /// The id of the store named `name`, given now if it has none. Under the lock: two threads
    /// opening a new store at once must not give it two ids.
    private func storeID(_ name: String) throws -> UInt32 {
        try ids.withLock { ids in
            if let id = ids[name] { return id }
            let id = UInt32(ids.count + 1)
            var value: [UInt8] = []
            Self.appendBigEndian(id, to: &value)
            let instance = RocksDBInstance(sharing: database)
            defer { instance.close() }
            try instance.put(key: Self.namePrefix + Array(name.utf8), value: value)
            ids[name] = id
            return id
        }
    }

    private static let namePrefix: [UInt8] = [0x00, UInt8(ascii: "s")]
    static let checkpointPrefix: [UInt8] = [0x00, UInt8(ascii: "c")]
    /// The first byte of every row's key.
    static let rowTag: UInt8 = 0x01
    /// The tag, the store id, the partition.
    static let rangeLength = 9

    static func checkpointKey(_ range: [UInt8]) -> [UInt8] { checkpointPrefix + range.dropFirst() }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
