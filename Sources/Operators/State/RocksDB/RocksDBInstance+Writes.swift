internal import CRocksDB

// Writes and flushes. Stores write one `RocksDBWriteBatch` per micro-batch (DESIGN.md §3); `put`
// and `delete` are for the odd single update (and tests). All share one `rocksdb_writeoptions_t`.

extension RocksDBInstance {
    /// Applies every operation of `batch` atomically: a reader (or a reopen) sees all or none.
    ///
    /// The batch is left as it is; `clear()` it to reuse it. An empty batch writes nothing.
    /// - Throws: `RocksDBError` with code `.write`, or `.closed`.
    public func write(_ batch: RocksDBWriteBatch) throws(RocksDBError) {
        let db = try openDatabase()
        guard !batch.isEmpty else { return }
        // `writeOptions` is set exactly while `db` is.
        try writeOptions!.withPointer { (write) throws(RocksDBError) in
            try batch.withBatchPointer { (b) throws(RocksDBError) in
                try rocksCheck(.write, "writing a batch to \(path)") { rocksdb_write(db, write, b, $0) }
            }
        }
    }

    /// Stores `value` under `key`, replacing any previous value.
    /// - Throws: `RocksDBError` with code `.write`, or `.closed`.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(RocksDBError) {
        let db = try openDatabase()
        try writeOptions!.withPointer { (write) throws(RocksDBError) in
            try rocksCheck(.write, "writing to \(path)") {
                rocksdb_put(db, write, rocksChars(key), key.count, rocksChars(value), value.count, $0)
            }
        }
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func put(key: [UInt8], value: [UInt8]) throws(RocksDBError) {
        try withBytes(of: key) { (k) throws(RocksDBError) in
            try withBytes(of: value) { (v) throws(RocksDBError) in try put(key: k, value: v) }
        }
    }

    /// Removes `key`; removing an absent key is not an error.
    /// - Throws: `RocksDBError` with code `.write`, or `.closed`.
    public func delete(key: UnsafeRawBufferPointer) throws(RocksDBError) {
        let db = try openDatabase()
        try writeOptions!.withPointer { (write) throws(RocksDBError) in
            try rocksCheck(.write, "deleting from \(path)") { rocksdb_delete(db, write, rocksChars(key), key.count, $0) }
        }
    }

    /// Removes `key`; removing an absent key is not an error.
    public func delete(key: [UInt8]) throws(RocksDBError) {
        try withBytes(of: key) { (k) throws(RocksDBError) in try delete(key: k) }
    }

    /// Writes the memtables to SST files and waits until they are on disk.
    ///
    /// With the WAL off (the default) this is what makes writes survive a crash: call it before a
    /// checkpoint file claims the store holds the changelog up to some offset. It blocks on disk
    /// I/O for as long as the flush takes.
    /// - Throws: `RocksDBError` with code `.flush`, or `.closed`.
    public func flush() throws(RocksDBError) {
        let db = try openDatabase()
        // Created per call: flushes happen once per commit at most, and nothing else needs one.
        try RocksDBFlushOptions().withPointer { (flush) throws(RocksDBError) in
            try rocksCheck(.flush, "flushing \(path)") { rocksdb_flush(db, flush, $0) }
        }
    }
}
