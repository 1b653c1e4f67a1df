internal import CRocksDB

// Range and prefix scans. The range goes to RocksDB as `iterate_lower_bound`/`iterate_upper_bound`
// rather than as a seek plus a comparison per key: RocksDB then stops at the bound itself and skips
// whole SST files and tombstones beyond it. It keeps pointers to the bound bytes (not copies) in the
// read options, which every iterator made from them reads until destroyed; so each scan runs inside
// the scope that keeps its bound buffers alive, and the iterator never outlives the call.

extension RocksDBInstance {
    /// Visits the keys in `[from, to)` in order, with their values.
    ///
    /// Keys are ordered by unsigned bytes, shorter first on a common prefix (RocksDB's bytewise
    /// comparator; the same as `[UInt8].lexicographicallyPrecedes`).
    ///
    /// - Parameters:
    ///   - from: the first key, inclusive; nil starts at the smallest key.
    ///   - to: the end key, exclusive; nil runs to the largest key. A range with `to <= from` is empty.
    ///   - reverse: visit from the largest key in the range down to `from`. Default: `false`.
    ///   - body: gets each key and value; returns `false` to stop. The buffers are RocksDB's own and
    ///     valid only until `body` returns: do not escape them.
    /// - Throws: `RocksDBError` (`.iterate` if RocksDB reports an error while scanning, `.closed`),
    ///   or what `body` throws; the iterator is destroyed either way.
    public func iterate(
        from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        if let to {
            if to.isEmpty { return }  // nothing sorts before the empty key
            if let from, !from.lexicographicallyPrecedes(to) { return }
        }
        try Self.withOptionalBytes(from) { lower in
            try Self.withOptionalBytes(to) { upper in
                try scan(lower: lower, upper: upper, reverse: reverse, body)
            }
        }
    }

    /// Visits every key that starts with `prefix`, in order, with its value.
    ///
    /// Runs `iterate(from: prefix, to: successor)` where the successor is the smallest key above
    /// every key with the prefix: the prefix without its trailing 0xFF bytes, last byte plus one.
    /// A prefix of only 0xFF bytes (or an empty one) has no successor: every key from it on
    /// starts with it, so the scan runs to the end.
    /// - Parameters: see `iterate(from:to:reverse:_:)`.
    public func prefixScan(
        _ prefix: [UInt8], reverse: Bool = false,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try iterate(from: prefix, to: Self.prefixSuccessor(prefix), reverse: reverse, body)
    }

    /// The smallest key greater than every key starting with `prefix`, or nil if there is none.
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        guard let last = prefix.lastIndex(where: { $0 != 0xFF }) else { return nil }
        var successor = Array(prefix[...last])
        successor[last] += 1
        return successor
    }

    /// One scan over `[lower, upper)`; both buffers stay valid for the whole call.
    private func scan(
        lower: UnsafeRawBufferPointer?, upper: UnsafeRawBufferPointer?, reverse: Bool,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let db = try openDatabase()
        try borrowing {
            let options = takeIterationOptions()
            options.setBounds(lower: lower, upper: upper)
            // Runs after the iterator is destroyed (defers run last-first): the bounds are
            // cleared before the buffers they point into go away.
            defer { returnIterationOptions(options) }
            // A C++ `new`, never NULL. The iterator pins a version of the database: it must be
            // destroyed before the database closes, which `borrowing` guarantees.
            let iterator: OpaquePointer = options.withPointer { rocksdb_create_iterator(db, $0) }
            defer { rocksdb_iter_destroy(iterator) }

            // With bounds set, seek-to-first starts at the lower bound and seek-to-last at the
            // last key below the upper bound; next and prev stop at the bounds.
            if reverse { rocksdb_iter_seek_to_last(iterator) } else { rocksdb_iter_seek_to_first(iterator) }
            while rocksdb_iter_valid(iterator) != 0 {
                var keyCount = 0
                var valueCount = 0
                let key = rocksdb_iter_key(iterator, &keyCount)
                let value = rocksdb_iter_value(iterator, &valueCount)
                let more = try body(
                    UnsafeRawBufferPointer(start: key, count: keyCount),
                    UnsafeRawBufferPointer(start: value, count: valueCount))
                if !more { return }
                if reverse { rocksdb_iter_prev(iterator) } else { rocksdb_iter_next(iterator) }
            }
            // An iterator also turns invalid on an I/O error or corruption; only this tells them apart.
            try rocksCheck(.iterate, "iterating over \(path)") { rocksdb_iter_get_error(iterator, $0) }
        }
    }

    private static func withOptionalBytes<R>(
        _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) rethrows -> R {
        guard let bytes else { return try body(nil) }
        return try bytes.withUnsafeBytes { try body($0) }
    }
}
