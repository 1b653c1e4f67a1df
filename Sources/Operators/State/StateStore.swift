public import SluiceTopology

/// One store of one task: its bytes, the writes since the last commit, and its changelog.
///
/// Writes of a micro-batch stay in a cache here, which reads see first; a key written many times
/// in a batch is written once to the changelog and once to the bytes at the commit step
/// (DESIGN.md §3: the per-batch cache that collapses repeated updates). A scan first hands the
/// cached writes to the bytes' batch, whose index merges them into the scan.
/// - Important: owned by one task, on one thread.
public final class StateStore {
    public let spec: StoreSpec
    /// The changelog topic and the partition of this task.
    public let changelog: (topic: String, partition: Int32)
    let bytes: any BytesStore

    private struct Pending {
        /// The final value (`nil`: deleted).
        var value: [UInt8]?
        /// Already in the bytes' batch (handed over for a scan).
        var inBatch: Bool
        /// Absent from the committed state: deleting it again leaves nothing to log or write.
        let isNew: Bool
    }

    @exclusivity(unchecked) private var pending: [StoreKey: Pending] = [:]
    /// Pending writes not yet in the bytes' batch.
    private var unbatched = 0
    /// For key-first windowed stores: the time-index key of an entry. Index entries are derived
    /// data: they go straight to the bytes, stay out of the changelog, and a restore writes them again.
    private let indexKey: (([UInt8]) -> [UInt8]?)?
    private let cachesWrites: Bool
    /// Writes applied by restores since the store opened, for progress reports.
    public private(set) var restored = 0
    /// The largest key the bytes may hold (an upper bound: deletions leave it where it is), so a
    /// read of a larger key is answered without RocksDB. In a time-ordered store that is every
    /// read of a window newer than the last commit, which is most of them. Found by one reverse
    /// seek at the first read, then raised by every write to the bytes.
    private var ceiling: [UInt8]?
    private var ceilingKnown = false
    @exclusivity(unchecked) private var cache = StoreReadCache(limit: StateStore.defaultReadCacheBytes)

    /// Typed values decoded from this store, which every write here keeps current.
    var decodedValues: (any DecodedValueCache)?

    /// For a store mirroring its source topic (`StoreSpec.sourceTopic`): what processing stores
    /// for one of the topic's records (key, value, timestamp), as the key and bytes of the row
    /// (`nil` bytes: deleted), or `nil` for a record processing dead-letters. Set by the operator
    /// that fills the store; a restore applies the topic's records through it.
    var sourceRecord: ((UnsafeRawBufferPointer?, UnsafeRawBufferPointer?, Int64?) -> (key: [UInt8], value: [UInt8]?)?)?
    /// Records of the source topic a restore skipped because processing dead-letters them.
    public private(set) var skippedSourceRecords = 0

    /// The default bound of each store's cache of committed entries (`readCacheBytes`).
    static let defaultReadCacheBytes = 1 << 20

    /// Bytes of committed entries this store keeps in memory for reads (and so how many decoded
    /// values); `0` turns both off. A stream thread shares `WorkerConfig.storeCacheBytes` out.
    public var readCacheBytes: Int {
        get { cache.limit }
        set {
            cache.limit = max(0, newValue)
            cache.removeAll()
            decodedValues?.limit = cache.limit / DecodedValues<Never>.bytesPerValue
        }
    }

    /// Whether the store outlives the process, so that a checkpoint may name its changelog position.
    public var persistent: Bool { bytes.persistent }

    init(spec: StoreSpec, location: StoreLocation, bytes: any BytesStore) {
        self.spec = spec
        self.changelog = (spec.changelogTopic(applicationID: location.applicationID), location.task.partition)
        self.bytes = bytes
        if case .keyValue = spec.kind { cachesWrites = true } else { cachesWrites = false }
        switch spec.kind {
        case .window: indexKey = StoreEncoding.windowIndexKey
        case .session: indexKey = StoreEncoding.sessionIndexKey
        case .keyValue, .timeOrderedWindow, .buffer: indexKey = nil
        }
    }

    func get(_ key: [UInt8]) throws -> [UInt8]? { try get(StoreKey(key)) }

    /// `get`, for a key already made a `StoreKey` (which hashes it): a caller that reads and then
    /// writes a key makes it once.
    func get(_ key: StoreKey) throws -> [UInt8]? {
        if let p = pending[key] { return p.value }
        if let cached = cache.value(for: key) { return cached }
        if !ceilingKnown { try findCeiling() }
        guard let ceiling, compareArrays(key.bytes, ceiling) <= 0 else { return nil }
        let value = try bytes.get(key.bytes)
        if let value { cache.set(key, value) }
        return value
    }

    /// The values of `keys`, which must be sorted, each key that has one then deleted as
    /// `put(key, nil)` would (logged): a window closing reads all its keys at once and drops
    /// them. Keys without a value are left alone. Those written since
    /// the last commit come from the cache of writes, found and dropped with one lookup; the others
    /// from one scan of the bytes from the first to the last (a read each was most of the time a
    /// window took to close). The keys are `StoreKey`s, hashed once by whoever keeps them. Only for
    /// stores without a time index.
    func take(sorted keys: [StoreKey]) throws -> [[UInt8]?] {
        precondition(indexKey == nil, "take(sorted:) deletes no index entries")
        var values = [[UInt8]?](repeating: nil, count: keys.count)
        var unwritten: [Int] = []
        for (i, key) in keys.enumerated() {
            decodedValues?.forget(key)
            guard let p = pending.index(forKey: key) else {
                unwritten.append(i)
                continue
            }
            guard let value = pending.values[p].value else { continue }  // deleted already
            values[i] = value
            if pending.values[p].isNew {
                if pending.values[p].inBatch { try bytes.put(key.bytes, nil) } else { unbatched -= 1 }
                pending.remove(at: p)
            } else {
                pending.values[p].value = nil
                if pending.values[p].inBatch {
                    pending.values[p].inBatch = false
                    unbatched += 1
                }
            }
        }
        try read(keys, at: unwritten, into: &values)
        for i in unwritten where values[i] != nil {
            pending[keys[i]] = Pending(value: nil, inBatch: false, isNew: false)
            unbatched += 1
        }
        return values
    }

    /// Reads the committed values of `keys[i]` for each `i` of `indices` (ascending, so the keys
    /// are sorted) into `values[i]`, with one scan of the bytes.
    private func read(_ keys: [StoreKey], at indices: [Int], into values: inout [[UInt8]?]) throws {
        guard let first = indices.first, let last = indices.last else { return }
        var next = 0
        try bytes.scan(from: keys[first].bytes, to: keys[last].bytes + [0], reverse: false) { key, value in
            while next < indices.count, keys[indices[next]].bytes.withUnsafeBytes({ compareBytes($0, key) }) < 0 { next += 1 }
            guard next < indices.count else { return false }
            if keys[indices[next]].bytes.withUnsafeBytes({ compareBytes($0, key) }) == 0 {
                values[indices[next]] = Array(value)
                next += 1
            }
            return next < indices.count
        }
    }

    private func findCeiling() throws {
        try bytes.scan(from: nil, to: nil, reverse: true) { key, _ in
            ceiling = Array(key)
            return false
        }
        ceilingKnown = true
    }

    /// `key` is about to be written to the bytes.
    private func raiseCeiling(_ key: [UInt8]) {
        guard ceilingKnown else { return }  // the first read finds it
        if let ceiling, compareArrays(key, ceiling) <= 0 { return }
        ceiling = key
    }

    /// Writes `value` (`nil` deletes) under `key`.
    /// - Parameter isNew: the caller knows the key is absent from the committed state (it read it,
    ///   or keeps an index of its own): should the key be deleted within this batch, nothing about
    ///   it reaches the changelog or the bytes.
    func put(_ key: [UInt8], _ value: [UInt8]?, isNew: Bool = false) throws {
        if isIndexEntry(key) { return try putIndexEntry(key, value) }
        try put(StoreKey(key), value, isNew: isNew)
    }

    /// `put`, for a key already made a `StoreKey`.
    func put(_ key: StoreKey, _ value: [UInt8]?, isNew: Bool = false) throws {
        if isIndexEntry(key.bytes) { return try putIndexEntry(key.bytes, value) }
        decodedValues?.forget(key)
        guard let i = pending.index(forKey: key) else {
            if value == nil && isNew { return }
            pending[key] = Pending(value: value, inBatch: false, isNew: isNew)
            unbatched += 1
            return
        }
        if value == nil && pending.values[i].isNew {
            if pending.values[i].inBatch { try bytes.put(key.bytes, nil) } else { unbatched -= 1 }
            pending.remove(at: i)
            return
        }
        pending.values[i].value = value
        if pending.values[i].inBatch {
            pending.values[i].inBatch = false
            unbatched += 1
        }
    }

    /// A time-index entry of a key-first window or session store.
    private func isIndexEntry(_ key: [UInt8]) -> Bool { indexKey != nil && key.first != StoreEncoding.primary }

    /// Index entries are derived data (see `indexKey`): straight to the bytes.
    private func putIndexEntry(_ key: [UInt8], _ value: [UInt8]?) throws {
        if value != nil { raiseCeiling(key) }
        if !cache.isEmpty { cache.set(StoreKey(key), nil) }
        try bytes.put(key, value)
    }

    func scan(from: [UInt8]?, to: [UInt8]?, reverse: Bool = false, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        if unbatched > 0 { try handPendingToBatch() }
        try bytes.scan(from: from, to: to, reverse: reverse, body)
    }

    /// Drops every entry in `[from, to)` without logging it: for windows past their retention,
    /// which a restore would drop again (their changelog expires them by time too).
    func deleteRange(from: [UInt8], to: [UInt8]) throws {
        var doomed: [StoreKey] = []
        for (key, p) in pending where compareArrays(key.bytes, from) >= 0 && compareArrays(key.bytes, to) < 0 {
            doomed.append(key)
            if p.inBatch { try bytes.put(key.bytes, nil) } else { unbatched -= 1 }
        }
        for key in doomed { pending[key] = nil }
        if !cache.isEmpty { cache.removeAll() }
        decodedValues?.forgetAll()
        try bytes.deleteRange(from: from, to: to)
    }

    private func handPendingToBatch() throws {
        for i in pending.indices where !pending.values[i].inBatch {
            if pending.values[i].value != nil { raiseCeiling(pending.keys[i].bytes) }
            try bytes.put(pending.keys[i].bytes, pending.values[i].value)
            pending.values[i].inBatch = true
        }
        unbatched = 0
    }

    /// Keys written since the last commit.
    public var pendingChanges: Int { pending.count }

    /// Sends each changed key's final value (or its deletion) to the changelog, then applies the
    /// batch to the bytes in one write.
    public func commit(to collector: any RecordCollector, timestamp: Int64) throws {
        try sendChangelog(to: collector, timestamp: timestamp)
        try applyPending()
    }

    /// Sends each changed key's final value (or its deletion) to the changelog; the writes stay
    /// pending. Under exactly-once they are the uncommitted state of the open transaction.
    public func sendChangelog(to collector: any RecordCollector, timestamp: Int64) throws {
        guard spec.ownsChangelog else { return }  // the source topic holds these changes already
        for (key, p) in pending {
            try key.bytes.withUnsafeBytes { k in
                if let value = p.value {
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
    }

    /// Writes the pending writes to the bytes in one atomic write (under exactly-once: once the
    /// transaction holding their changelog records has committed).
    public func applyPending() throws {
        // Key-value stores are read back per key (aggregates, tables), so their writes enter the
        // cache; a window store rarely reads a window again once newer ones arrive.
        let caching = cachesWrites && cache.limit > 0
        if caching || ceilingKnown {
            for (key, p) in pending {
                if p.value != nil { raiseCeiling(key.bytes) }
                if caching { cache.set(key, p.value) } else if !cache.isEmpty { cache.set(key, nil) }
            }
        }
        var writes: [([UInt8], [UInt8]?)] = []
        writes.reserveCapacity(pending.count)
        for (key, p) in pending where !p.inBatch { writes.append((key.bytes, p.value)) }
        // In key order, each insert into RocksDB's memtable (a skip list) starts where the last
        // one ended instead of searching from the top: in hash order those searches were most of
        // a windowed Nexmark query's commit.
        writes.sort { compareArrays($0.0, $1.0) < 0 }
        try bytes.commit(adding: writes)
        pending.removeAll(keepingCapacity: true)
        unbatched = 0
    }

    /// Forgets every write since the last commit (an aborted transaction's): reads see the
    /// committed state again. Range deletions of expired windows are not undone; a replay expires
    /// them again.
    public func discardPending() {
        decodedValues?.forgetAll()
        pending.removeAll(keepingCapacity: true)
        unbatched = 0
        bytes.discardBatch()
    }

    /// Applies one record of the store's changelog (a restore): no changelog write, and nothing
    /// pending. A store mirroring its source topic applies the topic's record as processing
    /// would (`sourceRecord`); `timestamp` is the record's, which only such a store reads.
    public func restore(key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, timestamp: Int64?) throws {
        guard spec.sourceTopic != nil else { return try apply(key: key ?? UnsafeRawBufferPointer(start: nil, count: 0), value: value) }
        guard let sourceRecord else { preconditionFailure("store \(spec.name) mirrors its source topic, but nothing reads its records") }
        guard let row = sourceRecord(key, value, timestamp) else {
            skippedSourceRecords += 1
            return
        }
        try row.key.withUnsafeBytes { k in
            guard let bytes = row.value else { return try apply(key: k, value: nil) }
            try bytes.withUnsafeBytes { try apply(key: k, value: $0) }
        }
    }

    private func apply(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws {
        if ceilingKnown && value != nil { raiseCeiling(Array(key)) }
        if !cache.isEmpty { cache.removeAll() }
        decodedValues?.forgetAll()
        try bytes.put(key, value)
        if let indexKey, let index = indexKey(Array(key)) {
            if value != nil { raiseCeiling(index) }
            try index.withUnsafeBytes { i in try bytes.put(i, value == nil ? nil : UnsafeRawBufferPointer(start: nil, count: 0)) }
        }
        restored += 1
        if restored % 10_000 == 0 { try bytes.commit(adding: []) }
    }

    /// Ends a restore: what it wrote is committed.
    public func finishRestore() throws { try bytes.commit(adding: []) }

    /// The changelog offset up to which the last checkpoint says this store holds its changelog;
    /// nil if there is none (or the store lives in memory).
    public func checkpointedOffset() throws -> Int64? { try bytes.checkpointedOffset() }

    /// Records that this store holds its changelog up to `offset`: every change before it is
    /// committed here.
    public func checkpoint(_ offset: Int64) throws { try bytes.checkpoint(offset) }

    /// Empties the store, before a restore from its changelog's start.
    public func clear() throws {
        pending.removeAll()
        unbatched = 0
        cache.removeAll()
        decodedValues?.forgetAll()
        ceiling = nil
        ceilingKnown = false
        try bytes.clear()
    }

    public func close() { bytes.close() }
}

@available(*, unavailable)
extension StateStore: Sendable {}
