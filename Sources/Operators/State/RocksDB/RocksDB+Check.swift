internal import CRocksDB

// One place turns RocksDB's error convention into `RocksDBError` (STYLE.md "What to absorb" §4).
// RocksDB's C API reports failure through a `char **errptr` out-parameter: it must point at NULL on
// entry; on failure RocksDB stores a malloc()ed copy of the Status text there (db/c.cc `SaveError`),
// which the caller frees with `rocksdb_free`. Every call that takes `errptr` goes through `rocksCheck`.

/// The `char **errptr` parameter of RocksDB's C functions.
typealias RocksDBErrorPointer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

/// Runs one RocksDB C call that takes `char **errptr`, and throws if it stored an error.
///
/// The error string is copied into the thrown `RocksDBError` and freed here. `call`'s result is
/// returned unchanged; on failure RocksDB's functions return NULL or nothing, so nothing owned is lost.
///
///     let db = try rocksCheck(.open, "opening \(path)") { errptr in rocksdb_open(options, path, errptr) }
@inline(__always)
func rocksCheck<R>(
    _ code: RocksDBError.Code, _ context: @autoclosure () -> String, file: String = #fileID, line: Int = #line,
    _ call: (RocksDBErrorPointer) -> R
) throws(RocksDBError) -> R {
    var error: UnsafeMutablePointer<CChar>? = nil
    let result = withUnsafeMutablePointer(to: &error) { call($0) }
    if let error {
        defer { rocksdb_free(error) }
        throw RocksDBError(code, context: context(), message: String(cString: error), file: file, line: line)
    }
    return result
}
