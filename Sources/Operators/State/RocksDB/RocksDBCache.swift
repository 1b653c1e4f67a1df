internal import CRocksDB

/// Owns one `rocksdb_cache_t`: an LRU block cache that many RocksDB instances read through.
///
/// `@unchecked Sendable` because RocksDB's LRU cache is internally synchronized (sharded, one mutex
/// per shard) and is built to be shared by the DBs of a process; this wrapper holds no other state.
final class RocksDBCache: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// - Parameter capacity: bytes; RocksDB evicts beyond it (not a strict limit: pinned blocks stay).
    init(capacity: Int) {
        // `rocksdb_cache_create_lru` wraps a `shared_ptr<Cache>`; it cannot fail (C++ `new`).
        pointer = rocksdb_cache_create_lru(capacity)
    }

    // Destroying the C wrapper drops one reference of the `shared_ptr`; block-based table options
    // and open DBs hold their own, so the cache memory goes away with the last of them.
    deinit { rocksdb_cache_destroy(pointer) }

    /// Bytes now charged to the cache (data blocks, and index and filter blocks, see `RocksDBInstance`).
    var usage: Int { rocksdb_cache_get_usage(pointer) }

    var capacity: Int { rocksdb_cache_get_capacity(pointer) }

    /// Lends the handle to `body`, e.g. for `rocksdb_block_based_options_set_block_cache`.
    /// Do not escape the pointer.
    func withCachePointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try lend(self, pointer, body)
    }
}
