import Testing

@testable import SluiceOperators
import SluiceTopology

/// Records what a store sends to its changelog.
private final class ChangelogRecorder: RecordCollector {
    var records: [(key: [UInt8], value: [UInt8]?)] = []

    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders,
        timestamp: Int64
    ) throws {
        records.append((Array(key!), value.map(Array.init)))
    }

    /// Final value per key, as a restore would see it.
    var latest: [[UInt8]: [UInt8]?] {
        var out: [[UInt8]: [UInt8]?] = [:]
        for r in records { out[r.key] = .some(r.value) }
        return out
    }
}

/// The backends a store runs on: memory (the TestDriver) and RocksDB (workers).
enum Backend: CaseIterable, Sendable {
    case memory, rocksDB
}

/// Runs `body` with a store of `kind` on `backend`, and a way to read what its bytes committed.
private func withStore(
    _ backend: Backend, kind: StoreSpec.Kind = .keyValue,
    _ body: (StateStore, ChangelogRecorder, () throws -> [[UInt8]: [UInt8]]) throws -> Void
) throws {
    let location = StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 0), store: "s")
    let spec = StoreSpec(name: "s", kind: kind)
    let recorder = ChangelogRecorder()
    func contents(_ bytes: any BytesStore) throws -> [[UInt8]: [UInt8]] {
        var out: [[UInt8]: [UInt8]] = [:]
        try bytes.scan(from: nil, to: nil, reverse: false) { k, v in
            out[Array(k)] = Array(v)
            return true
        }
        return out
    }
    switch backend {
    case .memory:
        let bytes = InMemoryBytesStore()
        try body(StateStore(spec: spec, location: location, bytes: bytes), recorder) { try contents(bytes) }
    case .rocksDB:
        try withTemporaryDirectory { path in
            let bytes = try rocksDBBytesBetweenNeighbours(at: path)
            defer { bytes.close() }
            try body(StateStore(spec: spec, location: location, bytes: bytes), recorder) { try contents(bytes) }
        }
    }
}

@Suite("A state store's per-batch cache")
struct StateStoreTests {
    /// Many keys taken at once (a closing window's): one scan of the bytes for those not written
    /// since the commit, the rest from the batch's writes; each answers as its own read does and,
    /// if it had a value, is then gone as its own deletion leaves it, in the store, its bytes and
    /// its changelog (absent keys log nothing).
    @Test(arguments: Backend.allCases)
    func sortedTakesAnswerAsReadsAndDeleteAsDeletionsDo(_ backend: Backend) throws {
        let keys = ["a", "b", "c", "d", "e", "f", "h", "j", "k"].map(b)
        func prepare(_ store: StateStore, _ changelog: ChangelogRecorder) throws {
            for k in ["b", "d", "f", "h", "j"] { try store.put(b(k), b("old-" + k)) }
            try store.commit(to: changelog, timestamp: 0)
            try store.put(b("d"), b("new-d"))  // rewritten since the commit
            try store.put(b("f"), nil)  // deleted since the commit
            try store.put(b("c"), b("new-c"), isNew: true)  // created since the commit
            _ = try store.get(b("h"))  // read, so cached
        }
        // The model: each key read, then, if it had a value, deleted, one at a time.
        var reads: [[UInt8]?] = []
        var logged: [[UInt8]: [UInt8]?] = [:]
        var logCount = 0
        var bytes: [[UInt8]: [UInt8]] = [:]
        try withStore(backend) { store, changelog, committed in
            try prepare(store, changelog)
            reads = try keys.map { try store.get($0) }
            for (k, read) in zip(keys, reads) where read != nil { try store.put(k, nil) }
            try store.commit(to: changelog, timestamp: 0)
            (logged, logCount, bytes) = (changelog.latest, changelog.records.count, try committed())
        }
        #expect(reads.compactMap { $0 }.count == 5, "b, c, d, h, j")
        #expect(logged[b("c")] == nil, "a key created and deleted in one batch leaves no trace")
        #expect(logged[b("a")] == nil && logged[b("f")] == .some(nil), "an absent key logs nothing; one deleted since the commit, its tombstone")
        try withStore(backend) { store, changelog, committed in
            try prepare(store, changelog)
            #expect(try store.take(sorted: keys.map(StoreKey.init)) == reads)
            for k in keys { #expect(try store.get(k) == nil) }
            #expect(try store.take(sorted: [StoreKey]()) == [])
            try store.commit(to: changelog, timestamp: 0)
            #expect(changelog.latest == logged)
            #expect(changelog.records.count == logCount)
            #expect(try committed() == bytes)
        }
        // Taken alone, a committed key is read from the bytes.
        try withStore(backend) { store, changelog, committed in
            try prepare(store, changelog)
            #expect(try store.take(sorted: [StoreKey(b("j"))]) == [b("old-j")])
            try store.commit(to: changelog, timestamp: 0)
            #expect(try committed()[b("j")] == nil)
            #expect(try committed()[b("h")] == b("old-h"))
        }
    }

    @Test(arguments: Backend.allCases)
    func repeatedWritesReachTheChangelogAndTheBytesOnceAtTheCommit(_ backend: Backend) throws {
        try withStore(backend) { store, changelog, committed in
            for i in 0..<5 { try store.put(b("k"), [UInt8(i)]) }
            try store.put(b("gone"), b("x"))
            try store.put(b("gone"), nil)
            #expect(try store.get(b("k")) == [4], "reads see the batch's latest write")
            #expect(try committed().isEmpty, "nothing reaches the bytes before the commit")
            try store.commit(to: changelog, timestamp: 0)
            #expect(changelog.records.count == 2, "one record per key written: \(changelog.records)")
            #expect(changelog.latest[b("k")] == .some([4]))
            #expect(changelog.latest[b("gone")] == .some(nil), "a key not known to be new is deleted with a tombstone")
            #expect(try committed() == [b("k"): [4]])
            #expect(store.pendingChanges == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func aNewKeyDeletedInTheSameBatchLeavesNoTrace(_ backend: Backend) throws {
        try withStore(backend) { store, changelog, committed in
            try store.put(b("held"), b("v"), isNew: true)
            try store.put(b("held"), b("w"))
            try store.put(b("held"), nil)
            try store.put(b("kept"), b("v"), isNew: true)
            try store.commit(to: changelog, timestamp: 0)
            #expect(changelog.records.map(\.key) == [b("kept")])
            #expect(try committed() == [b("kept"): b("v")])
            // Committed now: deleting it later must be logged.
            try store.put(b("kept"), nil)
            try store.commit(to: changelog, timestamp: 0)
            #expect(changelog.latest[b("kept")] == .some(nil))
            #expect(try committed().isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func scansSeeTheBatchsWritesAndTheCommitStillAppliesLaterOnes(_ backend: Backend) throws {
        try withStore(backend) { store, changelog, committed in
            try store.put(b("a"), b("1"))
            try store.commit(to: changelog, timestamp: 0)
            try store.put(b("b"), b("2"), isNew: true)
            try store.put(b("a"), nil)
            var seen: [String] = []
            try store.scan(from: nil, to: nil) { k, _ in
                seen.append(String(decoding: k, as: UTF8.self))
                return true
            }
            #expect(seen == ["b"], "the scan merges the batch over the committed data")
            // After the scan handed the batch over: further writes, and a new key deleted again.
            try store.put(b("c"), b("3"))
            try store.put(b("b"), nil)
            #expect(try store.get(b("b")) == nil)
            try store.commit(to: changelog, timestamp: 0)
            #expect(try committed() == [b("c"): b("3")])
            #expect(changelog.latest[b("a")] == .some(nil) && changelog.latest[b("c")] == .some(b("3")))
            #expect(changelog.latest[b("b")] == nil, "b was new and deleted within the batch")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRangeDeleteDropsCommittedAndPendingEntriesWithoutLoggingThem(_ backend: Backend) throws {
        try withStore(backend, kind: .timeOrderedWindow(retention: 10)) { store, changelog, committed in
            for k in ["a1", "a2", "b1"] { try store.put(b(k), b("old")) }
            try store.commit(to: changelog, timestamp: 0)
            let logged = changelog.records.count
            try store.put(b("a3"), b("new"), isNew: true)
            try store.put(b("b2"), b("new"), isNew: true)
            try store.deleteRange(from: b("a"), to: b("b"))
            #expect(try store.get(b("a1")) == nil && store.get(b("a3")) == nil)
            #expect(try store.get(b("b1")) == b("old"))
            try store.commit(to: changelog, timestamp: 0)
            #expect(try committed() == [b("b1"): b("old"), b("b2"): b("new")])
            #expect(changelog.records.dropFirst(logged).map(\.key) == [b("b2")], "expiry is not logged")
        }
    }
}

/// Exactly-once: a store's writes reach its bytes only when the transaction commits, and an
/// aborted transaction's writes are forgotten.
@Suite("A transactional state store")
struct TransactionalStateStoreTests {
    @Test func sendingTheChangelogLeavesTheBytesUntouchedUntilTheCommitApplies() throws {
        try withStore(.rocksDB) { store, changelog, committed in
            try store.put([1], [10])
            try store.sendChangelog(to: changelog, timestamp: 0)
            #expect(changelog.records.count == 1)
            #expect(try committed().isEmpty, "nothing reaches RocksDB before the transaction commits")
            #expect(try store.get([1]) == [10], "the batch still reads its own write")
            try store.applyPending()
            #expect(try committed() == [[1]: [10]])
            #expect(store.pendingChanges == 0)
        }
    }

    @Test func discardingForgetsTheCacheAndWhatAScanHandedToTheBatch() throws {
        try withStore(.rocksDB) { store, changelog, committed in
            try store.put([1], [10])
            try store.commit(to: changelog, timestamp: 0)
            try store.put([1], [11])
            try store.put([2], [20])
            var scanned = 0
            try store.scan(from: nil, to: nil) { _, _ in scanned += 1; return true }  // hands the cache to the indexed batch
            #expect(scanned == 2)
            try store.put([3], [30])  // and one still in the cache
            store.discardPending()
            #expect(store.pendingChanges == 0)
            #expect(try store.get([1]) == [10], "the committed value again")
            #expect(try store.get([2]) == nil)
            #expect(try store.get([3]) == nil)
            try store.commit(to: changelog, timestamp: 0)
            #expect(try committed() == [[1]: [10]], "the discarded batch never reaches RocksDB")
        }
    }
}

@Suite("A state store's reads: above its largest key, and from its cache")
struct StateStoreReadTests {
    private let location = StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 0), store: "s")
    private let spec = StoreSpec(name: "s", kind: .timeOrderedWindow(retention: 10))
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func readsAboveEverythingCommittedNeverReachTheBytes() throws {
        let bytes = CountingBytes(InMemoryBytesStore())
        let store = StateStore(spec: spec, location: location, bytes: bytes)
        #expect(try store.get(b("m")) == nil && bytes.gets == 0, "an empty store asks nothing")
        try store.put(b("m"), b("1"), isNew: true)
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        #expect(try store.get(b("z")) == nil && bytes.gets == 0, "z sorts after every committed key")
        #expect(try store.get(b("m")) == b("1") && bytes.gets == 1)
        #expect(try store.get(b("a")) == nil && bytes.gets == 2, "a sorts below the ceiling: asked")
        try store.put(b("x"), b("2"), isNew: true)
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        #expect(try store.get(b("x")) == b("2"), "a commit raises the ceiling")
    }

    @Test func aStoreOpenedOnDataFindsItsCeilingAndRestoresRaiseIt() throws {
        let memory = InMemoryBytesStore()
        try memory.put(b("k"), b("old"))
        try memory.commit(adding: [])
        let store = StateStore(spec: spec, location: location, bytes: CountingBytes(memory))
        #expect(try store.get(b("k")) == b("old"), "found by the first read's reverse seek")
        try b("q").withUnsafeBytes { k in try b("new").withUnsafeBytes { v in try store.restore(key: k, value: v, timestamp: nil) } }
        try store.finishRestore()
        #expect(try store.get(b("q")) == b("new"))
        try store.put(b("s"), b("1"), isNew: true)
        _ = try store.scan(from: nil, to: nil) { _, _ in true }  // hands the write to the bytes' batch
        try store.put(b("s"), nil, isNew: true)
        #expect(try store.get(b("s")) == nil)
    }
}

extension StateStoreReadTests {
    private var table: StoreSpec { StoreSpec(name: "s", kind: .keyValue) }

    @Test func committedEntriesAreReadFromMemoryAndStayCurrent() throws {
        let bytes = CountingBytes(InMemoryBytesStore())
        let store = StateStore(spec: table, location: location, bytes: bytes)
        try store.put(b("u1"), b("free"))
        try store.put(b("u2"), b("pro"))
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        #expect(try store.get(b("u1")) == b("free") && store.get(b("u2")) == b("pro"))
        #expect(bytes.gets == 0, "a key-value store's commit leaves its writes in the cache")
        try store.put(b("u1"), b("team"))
        #expect(try store.get(b("u1")) == b("team"), "a pending write comes before the cache")
        try store.put(b("u2"), nil)
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        #expect(try store.get(b("u1")) == b("team") && bytes.gets == 0)
        #expect(try store.get(b("u2")) == nil, "the deletion left the cache too")
    }

    @Test func anAbortedWriteLeavesTheCommittedValueCached() throws {
        let bytes = CountingBytes(InMemoryBytesStore())
        let store = StateStore(spec: table, location: location, bytes: bytes)
        try store.put(b("k"), b("1"))
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        try store.put(b("k"), b("2"))
        try store.sendChangelog(to: DiscardingCollector(), timestamp: 0)
        store.discardPending()
        #expect(try store.get(b("k")) == b("1") && bytes.gets == 0)
    }

    @Test func aFullCacheEvictsAndReadsStayRight() throws {
        let bytes = CountingBytes(InMemoryBytesStore())
        let store = StateStore(spec: table, location: location, bytes: bytes)
        store.readCacheBytes = 300  // room for two entries of about 100 bytes
        for i in 0..<5 { try store.put(b("k\(i)"), b("v\(i)")) }
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        for i in 0..<5 { #expect(try store.get(b("k\(i)")) == b("v\(i)")) }
        #expect(bytes.gets > 0, "not every entry fitted")
        store.readCacheBytes = 0
        let before = bytes.gets
        #expect(try store.get(b("k0")) == b("v0") && store.get(b("k0")) == b("v0"))
        #expect(bytes.gets == before + 2, "a disabled cache keeps nothing")
    }

    @Test func aValueTooBigToKeepDropsTheOneKeptBefore() {
        var cache = StoreReadCache(limit: 200)
        let k = StoreKey(b("k"))
        cache.set(k, b("small"))
        #expect(cache.value(for: k) == b("small"))
        cache.set(k, [UInt8](repeating: 1, count: 500))
        #expect(cache.value(for: k) == nil, "the small value is stale")
        cache.set(k, b("again"))
        cache.set(k, nil)
        #expect(cache.value(for: k) == nil && cache.isEmpty)
    }

    @Test func restoresAndRangeDeletionsEmptyTheCache() throws {
        let bytes = CountingBytes(InMemoryBytesStore())
        let store = StateStore(spec: table, location: location, bytes: bytes)
        try store.put(b("a"), b("1"))
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        try b("a").withUnsafeBytes { k in try b("2").withUnsafeBytes { v in try store.restore(key: k, value: v, timestamp: nil) } }
        try store.finishRestore()
        #expect(try store.get(b("a")) == b("2"), "the restored value, not the cached one")
        try store.deleteRange(from: b("a"), to: b("b"))
        #expect(try store.get(b("a")) == nil)
    }
}
