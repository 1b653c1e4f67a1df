/// A task's store in RocksDB.
///
/// Writes handed over before a scan collect in an indexed batch that scans (and reads) see; the
/// rest of a micro-batch's writes arrive at the commit step. When nothing was scanned the indexed
/// batch is empty: reads skip it, and the commit is a plain batch (an indexed one costs a skip-list
/// insert per key).
public final class RocksDBBytesStore: BytesStore {
    public var persistent: Bool { true }
    private let db: RocksDBInstance
    private let indexed = RocksDBIndexedBatch()
    private let plain = RocksDBWriteBatch()

    public init(path: String, environment: RocksDBEnvironment) throws {
        db = try RocksDBInstance(path: path, environment: environment)
    }

    public func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        indexed.count == 0 ? try db.get(key) : try db.get(key, through: indexed)
    }

    public func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws {
        if let value { indexed.put(key, value) } else { indexed.delete(key) }
    }

    public func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try db.iterate(through: indexed, from: from, to: to, reverse: reverse, body)
    }

    public func deleteRange(from: [UInt8], to: [UInt8]) throws {
        let batch = RocksDBWriteBatch()
        batch.deleteRange(from: from, to: to)
        try db.write(batch)
    }

    public func commit(adding writes: [([UInt8], [UInt8]?)]) throws {
        if indexed.count == 0 {
            for (key, value) in writes {
                if let value { plain.put(key: key, value: value) } else { plain.delete(key: key) }
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

    public func persist() throws { try db.flush() }

    public func close() { db.close() }
}

@available(*, unavailable)
extension RocksDBBytesStore: Sendable {}
