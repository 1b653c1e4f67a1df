internal import CRocksDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A RocksDB database: the bytes-in, bytes-out layer under Sluice's state stores.
///
/// A worker keeps one database for all its stores (`RocksDBStoreDatabase`), and each store reads
/// and writes it through an instance of its own (`init(sharing:)`). Keys are ordered
/// lexicographically by unsigned bytes (RocksDB's bytewise comparator), which range scans and
/// prefix scans rely on. Memory comes from the shared `RocksDBEnvironment`.
///
/// Every method blocks on RocksDB (and `flush()` on disk I/O): call them from the task's own
/// thread, never from Swift's cooperative pool.
///
/// - Important: an instance is not thread-safe and not `Sendable`: one task (one thread at a time)
///   owns it. Instances over one database may run on several threads at once.
///   Byte buffers passed to a `body` closure are valid only inside it; do not escape them.
public final class RocksDBInstance {
    /// The directory holding the database files.
    public let path: String
    /// The environment whose cache and write-buffer budget this instance uses.
    public let environment: RocksDBEnvironment
    /// The options it was opened with.
    public let options: Options
    /// The compression in effect: `options.compression`, or `.none` if this RocksDB build lacks it.
    public let compression: Compression
    /// This instance's memtable size (`write_buffer_size`), derived from the environment's budget
    /// when it opened and read back from RocksDB's options.
    public let writeBufferSize: Int

    /// The open database, shared with every instance made from it (`init(sharing:)`); it closes
    /// when the last of them lets go.
    private var handle: RocksDBHandle?
    /// `handle`'s `rocksdb_t *`, kept here for the hot paths; nil once closed.
    private(set) var db: OpaquePointer?
    /// Shared by every point read; nothing in it changes per call.
    private(set) var readOptions: RocksDBReadOptions?
    /// Shared by every write.
    private(set) var writeOptions: RocksDBWriteOptions?
    /// Read options kept for the next iteration. An iteration's bounds point into its caller's
    /// buffers, so a nested iteration must not share them: it makes its own (see `takeIterationOptions`).
    private var spareIterationOptions: RocksDBReadOptions?
    /// Scopes now lending RocksDB memory (an iterator or a pinned value) to a caller's closure.
    private var borrows = 0
    /// `close()` was called inside such a scope; the last scope to end closes.
    private var closeRequested = false

    /// Opens (and, by default, creates) the database at `path`.
    ///
    /// - Parameters:
    ///   - path: the store's directory; missing parent directories are created if
    ///     `options.createIfMissing`.
    ///   - environment: the worker's shared cache and write-buffer budget.
    ///   - options: per-instance settings. Default: `Options()`.
    /// - Throws: `RocksDBError` with code `.configuration` for invalid options, `.open` if the
    ///   directory cannot be created (e.g. `path` is a regular file), or RocksDB cannot open it
    ///   (e.g. another instance holds its lock).
    public convenience init(path: String, environment: RocksDBEnvironment, options: Options = Options()) throws(RocksDBError) {
        try options.validate()
        if options.createIfMissing { try Self.createDirectories(path) }
        let size = environment.instanceOpening(maxWriteBufferNumber: options.maxWriteBufferNumber)
        let opened: (db: OpaquePointer, options: RocksDBOptionsHandle, compression: Compression)
        do {
            opened = try Self.open(path: path, options: options, writeBufferSize: size, cache: environment.cache)
        } catch {
            // `deinit` never runs for an object whose init threw: hand the share back here.
            environment.instanceClosed()
            throw error
        }
        self.init(handle: RocksDBHandle(
            db: opened.db, options: opened.options, environment: environment, path: path, instanceOptions: options,
            compression: opened.compression))
    }

    /// A new instance over the database `shared` names: one per thread (or per store), since an
    /// instance is not thread-safe while the database beneath is. Cheap: it opens nothing.
    public convenience init(sharing shared: Shared) {
        self.init(handle: shared.handle)
    }

    private init(handle: RocksDBHandle) {
        self.handle = handle
        path = handle.path
        environment = handle.environment
        options = handle.instanceOptions
        compression = handle.compression
        writeBufferSize = handle.options.writeBufferSize
        db = handle.db
        readOptions = RocksDBReadOptions()
        writeOptions = RocksDBWriteOptions(disableWAL: options.disableWAL)
    }

    /// The database itself, which other instances may be made over, on other threads.
    /// - Throws: `RocksDBError` with code `.closed`.
    public func shared() throws(RocksDBError) -> Shared {
        _ = try openDatabase()
        return Shared(handle: handle!)
    }

    deinit { close() }

    /// Whether the instance is open (not yet closed, and no close pending).
    public var isOpen: Bool { db != nil && !closeRequested }

    /// Closes the instance, and the database with it unless other instances share it. Idempotent.
    ///
    /// A clean close writes memtables to SST files even with the WAL off (RocksDB flushes on
    /// shutdown when writes skipped the WAL), so a reopen sees every write. Called inside the `body`
    /// of `iterate`, `prefixScan` or `withValue`, the close happens when that call returns; the
    /// instance refuses new calls from then on.
    public func close() {
        guard db != nil else { return }
        if borrows > 0 {
            closeRequested = true
            return
        }
        // The order matters, as in Kafka Streams' RocksDBStore.close:
        // 1. Iterators and pinned values: none is alive here. Each lives inside one call
        //    (`iterate`, `withValue`), and a close requested inside one waits for it (above).
        // 2. The database, which the last instance's release closes (`RocksDBHandle.deinit`).
        db = nil
        handle = nil
        // 3. This instance's option objects: nothing uses them any more.
        spareIterationOptions = nil
        readOptions = nil
        writeOptions = nil
    }

    /// Deletes every file of the database at `path`, and the directory if it is then empty.
    ///
    /// Wipes a store's state, e.g. before a full restore from its changelog. A `path` that does
    /// not exist is already wiped: nothing happens.
    /// - Throws: `RocksDBError` with code `.destroy`, e.g. while an instance has the database open.
    public static func destroy(path: String) throws(RocksDBError) {
        guard access(path, F_OK) == 0 else { return }
        let options = RocksDBOptionsHandle()
        try options.withPointer { (o) throws(RocksDBError) in
            try rocksCheck(.destroy, "destroying \(path)") { rocksdb_destroy_db(o, path, $0) }
        }
    }

    // MARK: - For the extensions in the other files

    /// The open database; throws `.closed` after `close()` (or while one is pending).
    @inline(__always)
    func openDatabase() throws(RocksDBError) -> OpaquePointer {
        guard let db, !closeRequested else {
            throw RocksDBError(.closed, context: path, message: "the RocksDB instance is closed")
        }
        return db
    }

    /// Runs `body`, during which RocksDB memory is lent to a caller's closure: a `close()` in it is
    /// postponed until `body` has released that memory.
    func borrowing<R>(_ body: () throws -> R) rethrows -> R {
        borrows += 1
        defer {
            borrows -= 1
            if borrows == 0 && closeRequested { close() }
        }
        return try body()
    }

    /// Read options for one iteration: the spare one, or a new one if it is in use (a nested scan).
    func takeIterationOptions() -> RocksDBReadOptions {
        guard let options = spareIterationOptions else { return RocksDBReadOptions() }
        spareIterationOptions = nil
        return options
    }

    /// Keeps `options` (bounds cleared) for the next iteration, unless the instance closed meanwhile.
    func returnIterationOptions(_ options: RocksDBReadOptions) {
        options.setBounds(lower: nil, upper: nil)
        if db != nil { spareIterationOptions = options }
    }

    // MARK: - Opening

    /// Opens the database, falling back to no compression if the library lacks the one asked for.
    private static func open(
        path: String, options: Options, writeBufferSize: Int, cache: RocksDBCache
    ) throws(RocksDBError) -> (db: OpaquePointer, options: RocksDBOptionsHandle, compression: Compression) {
        var compression = options.compression
        while true {
            let handle = RocksDBOptionsHandle(
                options, compression: compression, writeBufferSize: writeBufferSize, cache: cache)
            do throws(RocksDBError) {
                // On failure `rocksdb_open` returns NULL and owns nothing; on success the `rocksdb_t`
                // is ours until `rocksdb_close` in `close()`.
                let db = try handle.withPointer { (o) throws(RocksDBError) in
                    try rocksCheck(.open, "opening \(path)") { rocksdb_open(o, path, $0) }
                }
                guard let db else {
                    throw RocksDBError(.open, context: "opening \(path)", message: "RocksDB returned no handle")
                }
                return (db, handle, compression)
            } catch where compression != .none && error.message.contains("is not linked with the binary") {
                // RocksDB checks at open that the library was built with the compression
                // (`ValidateOptions`: "Compression type X is not linked with the binary."). Debian's
                // librocksdb 7.8 has snappy, zlib, bz2, lz4 and zstd; other builds may not.
                compression = .none
            }
        }
    }

    /// `mkdir -p`, with a clear error when a component exists but is not a directory.
    private static func createDirectories(_ path: String) throws(RocksDBError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                guard code == EEXIST else {
                    throw RocksDBError(
                        .open, context: "creating the directory \(prefix)", message: String(cString: strerror(code)))
                }
                var info = stat()
                guard stat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw RocksDBError(
                        .open, context: "creating the directory \(prefix)",
                        message: "it exists and is not a directory")
                }
            }
            prefix += "/"
        }
    }
}

@available(*, unavailable)
extension RocksDBInstance: Sendable {}

extension RocksDBInstance {
    /// An open database, to make instances over on any thread (`init(sharing:)`).
    public struct Shared: Sendable {
        fileprivate let handle: RocksDBHandle
    }
}

/// A `rocksdb_t` and the options it was opened with, owned by the instances sharing it: the last
/// to let go closes it. `@unchecked Sendable`: RocksDB's DB is safe to use from several threads
/// at once (rocksdb/db.h), and nothing here changes after the open.
private final class RocksDBHandle: @unchecked Sendable {
    let db: OpaquePointer
    let options: RocksDBOptionsHandle
    let environment: RocksDBEnvironment
    let path: String
    let instanceOptions: RocksDBInstance.Options
    let compression: RocksDBInstance.Compression

    init(
        db: OpaquePointer, options: RocksDBOptionsHandle, environment: RocksDBEnvironment, path: String,
        instanceOptions: RocksDBInstance.Options, compression: RocksDBInstance.Compression
    ) {
        self.db = db
        self.options = options
        self.environment = environment
        self.path = path
        self.instanceOptions = instanceOptions
        self.compression = compression
    }

    deinit {
        // Before the option objects, which the database reads while it runs (released after this).
        rocksdb_close(db)
        // The write-buffer share, which a newly opened database may now take.
        environment.instanceClosed()
    }
}
