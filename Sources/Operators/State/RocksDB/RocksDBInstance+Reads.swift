internal import CRocksDB

// Point reads and properties. Reads use `rocksdb_get_pinned`: the value stays in RocksDB's memory
// (a block-cache entry or the memtable) while it is pinned, so `withValue` copies nothing and `get`
// copies once, into its array; `rocksdb_get` would malloc a copy of its own first.

extension RocksDBInstance {
    /// The value stored under `key`, or nil if there is none.
    ///
    /// Copies the value once, into the returned array. Use `withValue(for:_:)` to decode it in place.
    /// - Throws: `RocksDBError` with code `.read`, or `.closed`.
    public func get(_ key: UnsafeRawBufferPointer) throws(RocksDBError) -> [UInt8]? {
        guard let slice = try pinnedValue(for: key) else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        return [UInt8](Self.bytes(of: slice))
    }

    /// The value stored under `key`, or nil if there is none.
    public func get(_ key: [UInt8]) throws(RocksDBError) -> [UInt8]? {
        try withBytes(of: key) { (k) throws(RocksDBError) in try get(k) }
    }

    /// Runs `body` with the value stored under `key` (nil if there is none), without copying it.
    ///
    /// - Parameter body: receives RocksDB's own bytes; an empty buffer is an empty value, nil an
    ///   absent key. The buffer is valid only during `body`: do not escape it.
    /// - Returns: what `body` returns.
    /// - Throws: `RocksDBError` (`.read`, `.closed`), or what `body` throws.
    public func withValue<R>(for key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        guard let slice = try pinnedValue(for: key) else { return try body(nil) }
        return try borrowing {
            // Inside `borrowing`: the slice may pin memtable memory, so it must go before a close
            // that `body` requested runs.
            defer { rocksdb_pinnableslice_destroy(slice) }
            return try body(Self.bytes(of: slice))
        }
    }

    /// Runs `body` with the value stored under `key` (nil if there is none), without copying it.
    public func withValue<R>(for key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try key.withUnsafeBytes { k in try withValue(for: k, body) }
    }

    /// RocksDB's estimate of the number of keys (`rocksdb.estimate-num-keys`).
    ///
    /// Exact for a store that only inserted new keys; overwrites and deletes not yet compacted
    /// away make it drift (deletes may even make it too low). Meant for metrics and sizing, not logic.
    /// - Throws: `RocksDBError` with code `.read`, or `.closed`.
    public func approximateCount() throws(RocksDBError) -> Int {
        let db = try openDatabase()
        var value: UInt64 = 0
        // The integer form of `rocksdb_property_value`: no string to malloc, parse and free.
        guard rocksdb_property_int(db, "rocksdb.estimate-num-keys", &value) == 0 else {
            throw RocksDBError(.read, context: "reading rocksdb.estimate-num-keys of \(path)", message: "property unavailable")
        }
        return Int(clamping: value)
    }

    /// A RocksDB property by name, e.g. `rocksdb.cur-size-all-mem-tables` or `rocksdb.stats`;
    /// nil if RocksDB does not know the name.
    /// - Throws: `RocksDBError` with code `.closed`.
    public func property(_ name: String) throws(RocksDBError) -> String? {
        let db = try openDatabase()
        // A malloc()ed, NUL-terminated copy that we free, or NULL for an unknown name (c.h).
        guard let value = rocksdb_property_value(db, name) else { return nil }
        defer { rocksdb_free(value) }
        return String(cString: value)
    }

    /// The value of `key` pinned in RocksDB's memory, or nil if the key is absent.
    ///
    /// The caller owns the returned `rocksdb_pinnableslice_t` and must destroy it, before the
    /// database closes.
    private func pinnedValue(for key: UnsafeRawBufferPointer) throws(RocksDBError) -> OpaquePointer? {
        let db = try openDatabase()
        // `readOptions` is set exactly while `db` is.
        return try readOptions!.withPointer { (read) throws(RocksDBError) -> OpaquePointer? in
            // NULL when the key is absent, and on error (errptr set then); db/c.cc.
            try rocksCheck(.read, "reading from \(path)") { errptr in
                rocksdb_get_pinned(db, read, rocksChars(key), key.count, errptr)
            }
        }
    }

    /// The bytes a pinned slice holds; valid until the slice is destroyed.
    private static func bytes(of slice: OpaquePointer) -> UnsafeRawBufferPointer {
        var count = 0
        let start = rocksdb_pinnableslice_value(slice, &count)
        return UnsafeRawBufferPointer(start: start, count: count)
    }
}
