/// The bytes under a task's state store: its range of the worker's RocksDB database, or memory
/// (for tests and suppression buffers).
///
/// Writes collect in a batch that `commit` applies in one atomic write; reads and scans see the
/// batch's writes. `StateStore` above keeps a micro-batch's writes in a cache of its own and
/// hands them over at the commit step (or before a scan), so for stores that are never scanned
/// the batch stays empty until then and reads go straight to the committed data.
/// Keys order lexicographically by their bytes.
/// - Important: owned by one task, on one thread.
public protocol BytesStore: AnyObject {
    func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]?
    /// Writes `value` (`nil` deletes) into the current batch.
    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws
    /// Visits keys in `[from, to)` (`nil`: unbounded), ascending or descending, until `body` returns false.
    func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws
    /// Removes every key in `[from, to)` from the committed data at once (the batch is untouched).
    func deleteRange(from: [UInt8], to: [UInt8]) throws
    /// Applies the batch and then `writes` (`nil` values delete) atomically.
    ///
    /// An array, not any sequence: called through `any BytesStore`, a generic sequence's iteration
    /// is unspecialised (a lazy filter-and-map of the pending writes was 1.8% of q5's thread).
    func commit(adding writes: [([UInt8], [UInt8]?)]) throws
    /// Drops the batch's writes without applying them (an aborted transaction's writes).
    func discardBatch()
    /// Removes every key, committed or in the batch: the store is about to be rebuilt from its
    /// changelog's start, and rows a compacted changelog no longer mentions must not outlive it.
    func clear() throws
    /// The changelog offset up to which the last checkpoint says the store holds its changelog;
    /// nil if there is none (or the store does not outlive the process).
    func checkpointedOffset() throws -> Int64?
    /// Records that the store holds its changelog up to `offset`, after everything committed so far:
    /// a crash keeps the checkpoint only with the rows it describes (or rows newer still).
    func checkpoint(_ offset: Int64) throws
    /// Releases the store; idempotent.
    func close()
    /// Whether the data outlives the process: only then does a checkpoint say which changelog
    /// position it holds.
    var persistent: Bool { get }
}

extension BytesStore {
    func get(_ key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { try get($0) }
    }

    func put(_ key: [UInt8], _ value: [UInt8]?) throws {
        try key.withUnsafeBytes { k in
            if let value {
                try value.withUnsafeBytes { try put(k, $0) }
            } else {
                try put(k, nil)
            }
        }
    }
}

/// Opens the bytes of one store for one task; the runtime passes RocksDB, the TestDriver memory.
public typealias BytesStoreOpener = @Sendable (StoreLocation) throws -> any BytesStore

/// Where a task's store lives.
public struct StoreLocation: Sendable, Hashable {
    public let applicationID: String
    public let task: TaskID
    public let store: String

    public init(applicationID: String, task: TaskID, store: String) {
        self.applicationID = applicationID
        self.task = task
        self.store = store
    }
}
