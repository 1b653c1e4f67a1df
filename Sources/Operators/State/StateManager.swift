public import SluiceTopology

/// The stores of one task: opened when the task is made, committed at each commit step, closed
/// with the task.
/// - Important: owned by one task, on one thread.
public final class StateManager {
    public let location: (applicationID: String, task: TaskID)
    public private(set) var stores: [String: StateStore] = [:]

    /// Opens every store `specs` names, through `opener`, but suppression buffers, which live in
    /// memory as Kafka Streams' do: the buffer holds its results decoded anyway, and a RocksDB
    /// instance per buffer and task cost nine files at every task's start and a write of every
    /// result still held at each commit (in Nexmark q5, more writes than its window store's). They
    /// are restored from their changelog's start.
    public init(applicationID: String, task: TaskID, specs: [StoreSpec], opener: BytesStoreOpener) throws {
        location = (applicationID, task)
        for spec in specs where stores[spec.name] == nil {
            let where_ = StoreLocation(applicationID: applicationID, task: task, store: spec.name)
            let bytes: any BytesStore = spec.kind == .buffer ? InMemoryBytesStore() : try opener(where_)
            stores[spec.name] = StateStore(spec: spec, location: where_, bytes: bytes)
        }
    }

    /// The store named `name`; the plan guarantees the task declared it.
    func store(_ spec: StoreSpec) -> StateStore {
        guard let store = stores[spec.name] else { preconditionFailure("store \(spec.name) was not declared for task \(location.task)") }
        return store
    }

    /// Whether any store has writes not yet committed.
    public var hasPendingChanges: Bool { stores.values.contains { $0.pendingChanges > 0 } }

    /// Changes committed since the stores last persisted: what a crash would make a restore replay.
    public private(set) var changesSinceCheckpoint = 0

    /// Commits every store: changelog first, then the bytes.
    public func commit(to collector: any RecordCollector, timestamp: Int64) throws {
        for store in stores.values { changesSinceCheckpoint += store.pendingChanges }
        for name in stores.keys.sorted() { try stores[name]!.commit(to: collector, timestamp: timestamp) }
    }

    /// Under exactly-once, the first half of a commit: every store's changes to its changelog,
    /// inside the open transaction; the stores keep them pending.
    public func sendChangelogs(to collector: any RecordCollector, timestamp: Int64) throws {
        for name in stores.keys.sorted() { try stores[name]!.sendChangelog(to: collector, timestamp: timestamp) }
    }

    /// Under exactly-once, the second half, once the transaction committed: the pending changes
    /// into the bytes.
    public func applyPending() throws {
        for store in stores.values { changesSinceCheckpoint += store.pendingChanges }
        for store in stores.values { try store.applyPending() }
    }

    /// Forgets every store's changes since the last commit (the transaction aborted).
    public func discardPending() {
        for store in stores.values { store.discardPending() }
    }

    /// Every store's checkpoint now names what it holds.
    public func checkpointed() {
        changesSinceCheckpoint = 0
    }

    public func close() {
        for store in stores.values { store.close() }
    }
}

@available(*, unavailable)
extension StateManager: Sendable {}
