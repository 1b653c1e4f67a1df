internal import CRocksDB

/// Puts and deletes that `RocksDBInstance.write(_:)` applies atomically: all or none.
///
/// A store collects one micro-batch's updates in one batch (DESIGN.md §3) and writes it in the
/// commit step. The batch copies keys and values when they are added, so the caller's buffers may be
/// reused right away. Reuse the batch itself with `clear()`: its buffer keeps its capacity.
///
/// - Important: not thread-safe; one task fills and writes its batch.
public final class RocksDBWriteBatch {
    // `rocksdb_writebatch_create` is a C++ `new` (cannot fail); freed in deinit.
    private let pointer: OpaquePointer

    /// An empty batch.
    public init() {
        pointer = rocksdb_writebatch_create()
    }

    deinit { rocksdb_writebatch_destroy(pointer) }

    /// Adds a put of `value` under `key`; a later put or delete of the same key in this batch wins.
    /// The bytes are copied.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        rocksdb_writebatch_put(pointer, rocksChars(key), key.count, rocksChars(value), value.count)
    }

    /// Adds a put of `value` under `key`.
    public func put(key: [UInt8], value: [UInt8]) {
        key.withUnsafeBytes { k in value.withUnsafeBytes { v in put(key: k, value: v) } }
    }

    /// Adds a delete of `key` (a no-op for RocksDB if the key is absent). The bytes are copied.
    public func delete(key: UnsafeRawBufferPointer) {
        rocksdb_writebatch_delete(pointer, rocksChars(key), key.count)
    }

    /// Adds a delete of `key`.
    public func delete(key: [UInt8]) {
        key.withUnsafeBytes { delete(key: $0) }
    }

    /// Adds a delete of every key in `[from, to)`: one range tombstone, however many keys it covers.
    public func deleteRange(from: [UInt8], to: [UInt8]) {
        from.withUnsafeBytes { f in
            to.withUnsafeBytes { t in rocksdb_writebatch_delete_range(pointer, rocksChars(f), f.count, rocksChars(t), t.count) }
        }
    }

    /// The puts and deletes in the batch.
    public var count: Int { Int(rocksdb_writebatch_count(pointer)) }

    /// Whether the batch holds no operation.
    public var isEmpty: Bool { count == 0 }

    /// Bytes of the batch's serialized form (keys, values and RocksDB's record headers): a measure
    /// of what one commit writes.
    public var byteCount: Int {
        var size = 0
        _ = rocksdb_writebatch_data(pointer, &size)
        return size
    }

    /// Removes every operation, keeping the buffer for reuse.
    public func clear() {
        rocksdb_writebatch_clear(pointer)
    }

    /// Lends the handle to `body`, e.g. for `rocksdb_write`. Do not escape the pointer.
    func withBatchPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try lend(self, pointer, body)
    }
}

@available(*, unavailable)
extension RocksDBWriteBatch: Sendable {}
