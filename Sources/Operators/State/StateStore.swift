public import SluiceTopology

/// One store of one task: its bytes, the keys changed since the last commit, and its changelog.
///
/// A key written many times in a batch is written once to the changelog and once to the bytes at
/// the commit step (DESIGN.md §3: the per-batch cache that collapses repeated updates).
/// - Important: owned by one task, on one thread.
public final class StateStore {
    public let spec: StoreSpec
    /// The changelog topic and the partition of this task.
    public let changelog: (topic: String, partition: Int32)
    let bytes: any BytesStore
    /// Keys written since the last commit, with their final value (`nil`: deleted), so the commit
    /// step need not read them back.
    @exclusivity(unchecked) private var dirty: [[UInt8]: [UInt8]?] = [:]
    /// For windowed stores: the time-index key of an entry. Index entries are derived data: they stay
    /// out of the changelog, and a restore writes them again.
    private let indexKey: (([UInt8]) -> [UInt8]?)?
    /// Writes applied by restores since the store opened, for progress reports.
    public private(set) var restored = 0

    init(spec: StoreSpec, location: StoreLocation, bytes: any BytesStore) {
        self.spec = spec
        self.changelog = (spec.changelogTopic(applicationID: location.applicationID), location.task.partition)
        self.bytes = bytes
        switch spec.kind {
        case .window: indexKey = StoreEncoding.windowIndexKey
        case .session: indexKey = StoreEncoding.sessionIndexKey
        case .keyValue, .buffer: indexKey = nil
        }
    }

    func get(_ key: [UInt8]) throws -> [UInt8]? { try bytes.get(key) }

    func put(_ key: [UInt8], _ value: [UInt8]?) throws {
        try bytes.put(key, value)
        if indexKey == nil || key.first == StoreEncoding.primary { dirty[key] = .some(value) }
    }

    func scan(from: [UInt8]?, to: [UInt8]?, reverse: Bool = false, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        try bytes.scan(from: from, to: to, reverse: reverse, body)
    }

    /// Keys written since the last commit.
    public var pendingChanges: Int { dirty.count }

    /// Sends each changed key's final value (or its deletion) to the changelog, then applies the
    /// batch to the bytes in one write.
    public func commit(to collector: any RecordCollector, timestamp: Int64) throws {
        for (key, value) in dirty {
            try key.withUnsafeBytes { k in
                if let value {
                    try value.withUnsafeBytes { v in
                        try collector.send(
                            topic: changelog.topic, partition: changelog.partition, key: k, value: v, headers: RecordHeaders(),
                            timestamp: timestamp)
                    }
                } else {
                    try collector.send(
                        topic: changelog.topic, partition: changelog.partition, key: k, value: nil, headers: RecordHeaders(),
                        timestamp: timestamp)
                }
            }
        }
        dirty.removeAll(keepingCapacity: true)
        try bytes.commit()
    }

    /// Applies one changelog record (a restore): no changelog write, and nothing pending.
    public func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws {
        try bytes.put(key, value)
        if let indexKey, let index = indexKey(Array(key)) {
            try index.withUnsafeBytes { i in try bytes.put(i, value == nil ? nil : UnsafeRawBufferPointer(start: nil, count: 0)) }
        }
        restored += 1
        if restored % 10_000 == 0 { try bytes.commit() }
    }

    /// Ends a restore: what it wrote is committed.
    public func finishRestore() throws { try bytes.commit() }

    /// Makes what is committed survive a crash, before a checkpoint names its changelog offset.
    public func persist() throws { try bytes.persist() }

    public func close() { bytes.close() }
}

@available(*, unavailable)
extension StateStore: Sendable {}
