extension RocksDBInstance {
    /// How one instance is opened. Memory settings shared by all instances live in `RocksDBEnvironment`.
    public struct Options: Sendable {
        /// Writes skip RocksDB's write-ahead log.
        ///
        /// A Sluice store is a cache of its changelog topic: what the WAL would protect (writes not
        /// yet in an SST file) is also in the changelog, and the checkpoint file names the changelog
        /// offset up to which the SST files are complete. So the WAL is pure overhead, as in Kafka
        /// Streams. The price: after a crash, writes since the last `flush()` are gone from RocksDB and
        /// come back from the changelog; a clean `close()` flushes them. Call `flush()` before writing
        /// a checkpoint that claims data is on disk. Default: `true`.
        public var disableWAL: Bool
        /// Create the directory and an empty database if none exists. Default: `true`.
        public var createIfMissing: Bool
        /// Compression of SST blocks. Falls back to `.none` if the RocksDB library was built without
        /// it (see `RocksDBInstance.compression`). Default: `.lz4` (cheap, and Debian's librocksdb has it).
        public var compression: Compression
        /// Bits per key of each SST file's Bloom filter (full filters); `0` turns filters off.
        /// 10 bits give about 1% false positives, so most reads of absent keys touch no data block.
        /// Default: `10`.
        public var bloomFilterBitsPerKey: Double
        /// Memtables an instance may hold at once: one taking writes, the others being flushed.
        /// RocksDB needs at least 2. The environment's budget is divided by it. Default: `2`.
        public var maxWriteBufferNumber: Int

        /// - Parameters: see the properties; every default suits a state store backed by a changelog.
        public init(
            disableWAL: Bool = true, createIfMissing: Bool = true, compression: Compression = .lz4,
            bloomFilterBitsPerKey: Double = 10, maxWriteBufferNumber: Int = 2
        ) {
            self.disableWAL = disableWAL
            self.createIfMissing = createIfMissing
            self.compression = compression
            self.bloomFilterBitsPerKey = bloomFilterBitsPerKey
            self.maxWriteBufferNumber = maxWriteBufferNumber
        }

        /// Throws `.configuration` for values RocksDB would reject or silently change.
        func validate() throws(RocksDBError) {
            guard maxWriteBufferNumber >= 2 else {
                // RocksDB's SanitizeOptions raises anything below 2 to 2; say so instead.
                throw RocksDBError(
                    .configuration, context: "RocksDBInstance.Options",
                    message: "maxWriteBufferNumber must be at least 2, got \(maxWriteBufferNumber)")
            }
            guard bloomFilterBitsPerKey >= 0, bloomFilterBitsPerKey.isFinite else {
                throw RocksDBError(
                    .configuration, context: "RocksDBInstance.Options",
                    message: "bloomFilterBitsPerKey must be finite and not negative, got \(bloomFilterBitsPerKey)")
            }
        }
    }

    /// A block compression algorithm (a struct over a private enum, so more can be added).
    public struct Compression: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: Int32, Hashable, Sendable {
            // RocksDB's `rocksdb_*_compression` constants (c.h), which are its `CompressionType` values.
            case none = 0, snappy = 1, lz4 = 4, xpress = 6, zstd = 7
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// No compression.
        public static let none = Compression(.none)
        /// Snappy.
        public static let snappy = Compression(.snappy)
        /// LZ4: fast, modest ratio; the default.
        public static let lz4 = Compression(.lz4)
        /// Zstandard: better ratio, more CPU.
        public static let zstd = Compression(.zstd)
        /// Xpress exists only in Windows builds of RocksDB; tests use it to exercise the fallback.
        package static let xpress = Compression(.xpress)

        /// The value `rocksdb_options_set_compression` takes.
        var rocksDBType: Int32 { backing.rawValue }

        public var description: String { "\(backing)" }
    }
}
