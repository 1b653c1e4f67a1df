/// A task's store: its range of the worker's RocksDB database (`RocksDBStoreDatabase`), every key
/// under the prefix of its store and partition.
///
/// Writes handed over before a scan collect in an indexed batch that scans (and reads) see; the
/// rest of a micro-batch's writes arrive at the commit step. When nothing was scanned the indexed
/// batch is empty: reads skip it, and the commit is a plain batch (an indexed one costs a skip-list
/// insert per key).
public final class RocksDBBytesStore: BytesStore {
    public var persistent: Bool { true }
    private let db: RocksDBInstance
    /// Before every key of this store; `end`, the first key after them all.
    private let prefix: [UInt8]
    private let end: [UInt8]
    /// Where the store's checkpoint lives, beside its rows.
    private let checkpointKey: [UInt8]
    private let indexed = RocksDBIndexedBatch()
    private let plain = RocksDBWriteBatch()
    /// The prefixed key of the read or write at hand, reused so a point read allocates nothing.
    private var scratch: [UInt8] = []
    /// Tells the database the range is no longer in use; called once, by the first `close()`.
    private var onClose: (() -> Void)?

    init(sharing database: RocksDBInstance.Shared, prefix: [UInt8], checkpointKey: [UInt8], onClose: (() -> Void)? = nil) {
        precondition(!prefix.isEmpty && prefix.contains { $0 != 0xFF }, "a store's prefix must have a successor")
        db = RocksDBInstance(sharing: database)
        self.prefix = prefix
        end = RocksDBInstance.prefixSuccessor(prefix)!
        self.checkpointKey = checkpointKey
        self.onClose = onClose
        scratch.reserveCapacity(prefix.count + 64)
    }

    /// Runs `body` with `key` behind the prefix.
    @inline(__always)
    private func withPrefixed<R>(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: prefix)
        scratch.append(contentsOf: key)
        return try scratch.withUnsafeBytes(body)
    }

    private func prefixed(_ key: [UInt8]?) -> [UInt8]? { key.map { prefix + $0 } }

    public func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try withPrefixed(key) { k in indexed.count == 0 ? try db.get(k) : try db.get(k, through: indexed) }
    }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws {
        withPrefixed(key) { k in
            if let value { indexed.put(k, value) } else { indexed.delete(k) }
        }
    }

    public func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let n = prefix.count
        try db.iterate(through: indexed, from: prefixed(from) ?? prefix, to: prefixed(to) ?? end, reverse: reverse) { k, v in
            try body(UnsafeRawBufferPointer(rebasing: k[n...]), v)
        }
    }

    public func deleteRange(from: [UInt8], to: [UInt8]) throws {
        let batch = RocksDBWriteBatch()
        batch.deleteRange(from: prefix + from, to: prefix + to)
        try db.write(batch)
    }

    public func commit(adding writes: [([UInt8], [UInt8]?)]) throws {
        if indexed.count == 0 {
            for (key, value) in writes {
                key.withUnsafeBytes { key in
                    withPrefixed(key) { k in
                        if let value { value.withUnsafeBytes { plain.put(key: k, value: $0) } } else { plain.delete(key: k) }
                    }
                }
            }
            try db.write(plain)
            plain.clear()
        } else {
            for (key, value) in writes { try put(key, value) }
            try db.write(indexed)
            indexed.clear()
        }
    }

    public func discardBatch() {
        indexed.clear()
        plain.clear()
    }

    public func clear() throws {
        discardBatch()
        var empty = true
        try db.iterate(from: prefix, to: end) { _, _ in
            empty = false
            return false
        }
        // A range deletion only where there is something to delete: each one stays in the
        // memtable, where every read of any store of the database checks it.
        guard !empty else { return }
        let batch = RocksDBWriteBatch()
        batch.deleteRange(from: prefix, to: end)
        try db.write(batch)
    }

    public func checkpointedOffset() throws -> Int64? {
        guard let bytes = try db.get(checkpointKey) else { return nil }
        guard bytes.count == 8 else {
            throw RocksDBError(.read, context: "reading the checkpoint in \(db.path)", message: "\(bytes.count) bytes, not 8")
        }
        return Int64(bigEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
    }

    public func checkpoint(_ offset: Int64) throws {
        try withUnsafeBytes(of: offset.bigEndian) { v in
            try checkpointKey.withUnsafeBytes { k in try db.put(key: k, value: v) }
        }
    }

    public func close() {
        db.close()
        onClose?()
        onClose = nil
    }

    deinit { onClose?() }
}

@available(*, unavailable)
extension RocksDBBytesStore: Sendable {}
