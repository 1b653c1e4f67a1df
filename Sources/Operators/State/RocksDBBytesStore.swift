/// A task's store in RocksDB: writes of a micro-batch collect in an indexed batch that reads and
/// scans see, and reach the database in one atomic write at the commit step.
public final class RocksDBBytesStore: BytesStore {
    private let db: RocksDBInstance
    private let batch = RocksDBIndexedBatch()

    public init(path: String, environment: RocksDBEnvironment) throws {
        db = try RocksDBInstance(path: path, environment: environment)
    }

    public func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try db.get(key, through: batch)
    }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws {
        if let value { batch.put(key, value) } else { batch.delete(key) }
    }

    public func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try db.iterate(through: batch, from: from, to: to, reverse: reverse, body)
    }

    public func commit() throws {
        guard batch.count > 0 else { return }
        try db.write(batch)
        batch.clear()
    }

    public func persist() throws { try db.flush() }

    public func close() { db.close() }
}

@available(*, unavailable)
extension RocksDBBytesStore: Sendable {}
