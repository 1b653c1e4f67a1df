/// The one error type of Sluice's RocksDB layer.
///
/// `description` carries RocksDB's status message (e.g. `IO error: While lock file: …`) and what
/// Sluice was doing, never a record's key or value: errors are logged and end up in dead-letter
/// headers, where a payload would leak data.
public struct RocksDBError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible without breaking users (a struct over a private enum).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case open, read, write, iterate, flush, destroy, closed, configuration
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The database could not be opened (or its directory created).
        public static let open = Code(.open)
        /// A point read or a property read failed.
        public static let read = Code(.read)
        /// A put, delete or write batch was rejected.
        public static let write = Code(.write)
        /// An iterator reported an error (e.g. a corrupt block) while scanning.
        public static let iterate = Code(.iterate)
        /// Flushing memtables to SST files failed.
        public static let flush = Code(.flush)
        /// Wiping a store's files failed.
        public static let destroy = Code(.destroy)
        /// The instance was already closed.
        public static let closed = Code(.closed)
        /// An option or environment setting is out of range.
        public static let configuration = Code(.configuration)

        public var description: String { backing.rawValue }
    }

    public let code: Code
    /// What Sluice was doing, e.g. `opening /state/0_1/counts`.
    public let context: String
    /// RocksDB's status text (from its `char **errptr`), or Sluice's own reason.
    public let message: String
    public let file: String
    public let line: Int

    package init(_ code: Code, context: String, message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.context = context
        self.message = message
        self.file = file
        self.line = line
    }

    /// RocksDB found the store's files damaged (its `Status::Corruption`, whose text starts with
    /// "Corruption:"). Such a store cannot be repaired in place: wipe it with
    /// `RocksDBInstance.destroy(path:)` and restore it from its changelog.
    public var isCorruption: Bool { message.hasPrefix("Corruption:") }

    public var description: String { "RocksDBError.\(code): \(context): \(message)" }
}
