internal import CRocksDB
#if canImport(Glibc)
import Glibc
#endif

/// Owns a `rocksdb_writebatch_wi_t`: a write batch with an index, so reads and scans through it
/// see its writes merged over the database (read-your-writes), and the latest write of a key
/// replaces earlier ones in the index. A micro-batch's writes to one store collect here and reach
/// the database in one atomic write at the commit step (DESIGN.md §3).
final class RocksDBIndexedBatch {
    let pointer: OpaquePointer

    init() {
        // overwrite_keys: the index keeps only the newest entry per key.
        pointer = rocksdb_writebatch_wi_create(0, 1)
    }

    deinit { rocksdb_writebatch_wi_destroy(pointer) }

    var count: Int { Int(rocksdb_writebatch_wi_count(pointer)) }

    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        rocksdb_writebatch_wi_put(pointer, rocksChars(key), key.count, rocksChars(value), value.count)
    }

    func delete(_ key: UnsafeRawBufferPointer) {
        rocksdb_writebatch_wi_delete(pointer, rocksChars(key), key.count)
    }

    func clear() { rocksdb_writebatch_wi_clear(pointer) }
}

extension RocksDBInstance {
    /// The value of `key` in `batch` if it wrote it, else in the database.
    func get(_ key: UnsafeRawBufferPointer, through batch: RocksDBIndexedBatch) throws(RocksDBError) -> [UInt8]? {
        let db = try openDatabase()
        var length = 0
        let value = try readOptions!.withPointer { (options) throws(RocksDBError) -> UnsafeMutablePointer<CChar>? in
            try rocksCheck(.read, "reading through a batch in \(path)") { errptr in
                rocksdb_writebatch_wi_get_from_batch_and_db(batch.pointer, db, options, rocksChars(key), key.count, &length, errptr)
            }
        }
        guard let value else { return nil }
        defer { rocksdb_free(value) }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// Visits keys in `[from, to)` of the database with `batch`'s writes merged in.
    func iterate(
        through batch: RocksDBIndexedBatch, from: [UInt8]?, to: [UInt8]?, reverse: Bool,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let db = try openDatabase()
        try borrowing {
            let options = takeIterationOptions()
            defer { returnIterationOptions(options) }
            // The batch's entries ignore the read options' bounds, so the bounds are checked here.
            let base: OpaquePointer = options.withPointer { rocksdb_create_iterator(db, $0) }
            // The merged iterator takes the base iterator over; destroying it destroys both.
            let iterator: OpaquePointer = rocksdb_writebatch_wi_create_iterator_with_base(batch.pointer, base)
            defer { rocksdb_iter_destroy(iterator) }
            try withOptional(from) { lower in
                try withOptional(to) { upper in
                    if reverse {
                        if let upper { rocksdb_iter_seek_for_prev(iterator, rocksChars(upper), upper.count) } else { rocksdb_iter_seek_to_last(iterator) }
                    } else {
                        if let lower { rocksdb_iter_seek(iterator, rocksChars(lower), lower.count) } else { rocksdb_iter_seek_to_first(iterator) }
                    }
                    while rocksdb_iter_valid(iterator) != 0 {
                        var keyCount = 0
                        var valueCount = 0
                        let key = UnsafeRawBufferPointer(start: rocksdb_iter_key(iterator, &keyCount), count: keyCount)
                        // seek-for-prev lands on the upper bound itself when present: it is excluded.
                        if let upper, compare(key, upper) >= 0 {
                            if reverse { rocksdb_iter_prev(iterator); continue } else { return }
                        }
                        if let lower, compare(key, lower) < 0 {
                            if reverse { return } else { rocksdb_iter_next(iterator); continue }
                        }
                        let value = UnsafeRawBufferPointer(start: rocksdb_iter_value(iterator, &valueCount), count: valueCount)
                        if try !body(key, value) { return }
                        if reverse { rocksdb_iter_prev(iterator) } else { rocksdb_iter_next(iterator) }
                    }
                }
            }
            try rocksCheck(.iterate, "iterating through a batch in \(path)") { rocksdb_iter_get_error(iterator, $0) }
        }
    }

    /// Applies the batch to the database atomically.
    func write(_ batch: RocksDBIndexedBatch) throws(RocksDBError) {
        let db = try openDatabase()
        try writeOptions!.withPointer { (write) throws(RocksDBError) in
            try rocksCheck(.write, "writing a batch to \(path)") { errptr in rocksdb_write_writebatch_wi(db, write, batch.pointer, errptr) }
        }
    }
}

private func withOptional<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    guard let bytes else { return try body(nil) }
    return try bytes.withUnsafeBytes { try body($0) }
}

private func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let c = memcmp(pa, pb, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
