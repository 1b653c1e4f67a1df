// How Swift memory reaches RocksDB's C API, and RocksDB handles reach C calls: always inside a
// scope that keeps the memory alive for the whole call.

/// A `const char *` for a byte buffer. An empty Swift buffer may have no base address, but RocksDB
/// reads a NULL key or bound as "absent" (e.g. `rocksdb_readoptions_set_iterate_upper_bound`), so an
/// empty buffer maps to a static, never-written empty string instead.
@inline(__always)
func rocksChars(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
    let base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
    return base.assumingMemoryBound(to: CChar.self)
}

/// `array.withUnsafeBytes(body)` for a `body` with a typed error: the standard library's version
/// only rethrows `any Error`, which would untype every throwing call made through it.
@inline(__always)
func withBytes<R, E: Error>(of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    try array.withUnsafeBytes { bytes in Result { () throws(E) in try body(bytes) } }.get()
}

// Owners of C handles lend them only through scoped `with…Pointer` accessors built on `lend`:
// Swift may release an object right after its last use, and reading `owner.pointer` is not a use
// that lasts until the C call returns.

/// Runs `body` with `owner`'s handle, keeping `owner` (and so the handle) alive until it returns.
@inline(__always)
func lend<R, E: Error>(
    _ owner: some AnyObject, _ pointer: OpaquePointer, _ body: (OpaquePointer) throws(E) -> R
) throws(E) -> R {
    defer { withExtendedLifetime(owner) {} }
    return try body(pointer)
}
