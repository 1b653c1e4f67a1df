internal import CRocksDB

// Owners of RocksDB's option objects, one final class per C type, each destroyed in its `deinit`.
// They are plain C++ structs behind `new`/`delete` in db/c.cc: creating one cannot fail, and none of
// them refers to another once built (setters copy), so they may be destroyed in any order among
// themselves, but only after the `rocksdb_t` that reads them is closed (see `RocksDBInstance.close`).
// The handle leaves its owner only through `withPointer` (see `lend`).

/// Owns a `rocksdb_options_t`: the DB and column-family options an instance opens with.
final class RocksDBOptionsHandle {
    private let pointer: OpaquePointer

    /// Plain options, enough for `rocksdb_destroy_db`.
    init() {
        pointer = rocksdb_options_create()
    }

    /// The options of one store, sharing the environment's block cache.
    convenience init(
        _ options: RocksDBInstance.Options, compression: RocksDBInstance.Compression, writeBufferSize: Int,
        cache: RocksDBCache
    ) {
        self.init()
        rocksdb_options_set_create_if_missing(pointer, options.createIfMissing ? 1 : 0)
        rocksdb_options_set_compression(pointer, compression.rocksDBType)
        rocksdb_options_set_write_buffer_size(pointer, writeBufferSize)
        rocksdb_options_set_max_write_buffer_number(pointer, Int32(clamping: options.maxWriteBufferNumber))
        // A worker opens an instance per store and task (64 of each in the bench) and a store of one
        // partition holds a few SST files. RocksDB's defaults suit one large database: each open
        // started 16 threads to load SST readers (none exist in a new store) and preallocated two
        // 4 MiB MANIFEST files. Opening 64 new stores took 0.41-0.49 CPU s with them and
        // 0.10-0.15 s without (on tmpfs, where no inode search hides it).
        rocksdb_options_set_max_file_opening_threads(pointer, 1)
        rocksdb_options_set_manifest_preallocation_size(pointer, 64 << 10)
        let table = RocksDBBlockBasedTableOptions(bloomFilterBitsPerKey: options.bloomFilterBitsPerKey, cache: cache)
        // Builds a new table factory from a *copy* of the table options (db/c.cc), so `table` may be
        // destroyed when this init returns; the factory keeps its own reference to the shared cache.
        table.withPointer { rocksdb_options_set_block_based_table_factory(pointer, $0) }
    }

    deinit { rocksdb_options_destroy(pointer) }

    /// Lends the handle to `body`. Do not escape the pointer.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try lend(self, pointer, body) }

    /// The memtable size as RocksDB will use it (read back, not remembered).
    var writeBufferSize: Int { rocksdb_options_get_write_buffer_size(pointer) }
}

/// Owns a `rocksdb_block_based_table_options_t`, which lives only while the DB options are built.
final class RocksDBBlockBasedTableOptions {
    private let pointer: OpaquePointer

    init(bloomFilterBitsPerKey: Double, cache: RocksDBCache) {
        pointer = rocksdb_block_based_options_create()
        // Copies the cache's `shared_ptr` (db/c.cc), so every instance reads through the one cache.
        cache.withCachePointer { rocksdb_block_based_options_set_block_cache(pointer, $0) }
        // Index and filter blocks go into the shared cache too; otherwise each open SST file keeps
        // them outside any bound, and memory grows with the data instead of staying per worker.
        rocksdb_block_based_options_set_cache_index_and_filter_blocks(pointer, 1)
        // ...but those of L0 files stay pinned: L0 files are read on every lookup, and evicting their
        // filters would make point reads fetch them again and again.
        rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(pointer, 1)
        if bloomFilterBitsPerKey > 0 {
            // `set_filter_policy` takes ownership of the policy (`filter_policy.reset(p)` in db/c.cc):
            // destroying it here as well would be a double free.
            rocksdb_block_based_options_set_filter_policy(
                pointer, rocksdb_filterpolicy_create_bloom_full(bloomFilterBitsPerKey))
        }
    }

    deinit { rocksdb_block_based_options_destroy(pointer) }

    /// Lends the handle to `body`. Do not escape the pointer.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try lend(self, pointer, body) }
}

/// Owns a `rocksdb_readoptions_t`. Point reads reuse one; iterations set bounds on their own.
final class RocksDBReadOptions {
    private let pointer: OpaquePointer

    init() {
        pointer = rocksdb_readoptions_create()
    }

    deinit { rocksdb_readoptions_destroy(pointer) }

    /// Lends the handle to `body`. Do not escape the pointer.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try lend(self, pointer, body) }

    /// Sets `iterate_lower_bound`/`iterate_upper_bound`; `nil` removes a bound.
    ///
    /// - Important: RocksDB stores a `Slice` pointing into `lower` and `upper`, not a copy
    ///   (db/c.cc). Both buffers must stay valid until every iterator made with these options is
    ///   destroyed and the bounds are cleared again.
    func setBounds(lower: UnsafeRawBufferPointer?, upper: UnsafeRawBufferPointer?) {
        // A NULL key removes the bound; an empty buffer is a real (empty) bound, so never pass NULL for it.
        rocksdb_readoptions_set_iterate_lower_bound(pointer, lower.map(rocksChars), lower?.count ?? 0)
        rocksdb_readoptions_set_iterate_upper_bound(pointer, upper.map(rocksChars), upper?.count ?? 0)
    }
}

/// Owns a `rocksdb_writeoptions_t`, reused by every write of an instance.
final class RocksDBWriteOptions {
    private let pointer: OpaquePointer

    init(disableWAL: Bool) {
        pointer = rocksdb_writeoptions_create()
        rocksdb_writeoptions_disable_WAL(pointer, disableWAL ? 1 : 0)
    }

    deinit { rocksdb_writeoptions_destroy(pointer) }

    /// Lends the handle to `body`. Do not escape the pointer.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try lend(self, pointer, body) }
}

/// Owns a `rocksdb_flushoptions_t` that makes `rocksdb_flush` wait until the SST files are written.
final class RocksDBFlushOptions {
    private let pointer: OpaquePointer

    init() {
        pointer = rocksdb_flushoptions_create()
        rocksdb_flushoptions_set_wait(pointer, 1)
    }

    deinit { rocksdb_flushoptions_destroy(pointer) }

    /// Lends the handle to `body`. Do not escape the pointer.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try lend(self, pointer, body) }
}
