import Foundation
@testable import SluiceOperators
import Testing

@Suite("One RocksDB database for every store of a worker")
struct RocksDBStoreDatabaseTests {
    func location(_ store: String, _ partition: Int32) -> StoreLocation {
        StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: partition), store: store)
    }

    func rows(_ bytes: any BytesStore, reverse: Bool = false) throws -> [[UInt8]: [UInt8]] {
        var out: [[UInt8]: [UInt8]] = [:]
        try bytes.scan(from: nil, to: nil, reverse: reverse) { k, v in
            out[Array(k)] = Array(v)
            return true
        }
        return out
    }

    /// Each store sees only its own rows, whatever the others hold at the edges of their ranges,
    /// and its range deletions and clearing touch nothing else.
    @Test func storesOfOneDatabaseNeverSeeOrTouchEachOther() throws {
        try withTemporaryDirectory { dir in
            let database = try RocksDBStoreDatabase(path: dir + "/stores", environment: smallEnvironment())
            let edges: [([UInt8], [UInt8]?)] = [([], [9]), ([0x00], [8]), ([0x7F], [7]), ([0xFF, 0xFF, 0xFF], [6])]
            let neighbours = [location("s", 0), location("s", 2), location("t", 1), location("s", Int32.max)]
            for l in neighbours {
                let bytes = try database.open(l)
                try bytes.commit(adding: edges)
                bytes.close()
            }
            let store = try database.open(location("s", 1))
            #expect(try rows(store).isEmpty, "a new store starts empty beside full ones")
            #expect(try store.get([0x00]) == nil)
            try store.commit(adding: [([0x01], [1]), ([0x02], [2]), ([0xFF], [3])])
            #expect(try rows(store) == [[0x01]: [1], [0x02]: [2], [0xFF]: [3]])
            #expect(try rows(store, reverse: true).count == 3)
            try store.deleteRange(from: [0x00], to: [0x02])
            #expect(try rows(store) == [[0x02]: [2], [0xFF]: [3]])
            try store.put([UInt8]([0x05]), [UInt8]([5]))  // in the indexed batch: a scan sees it, clear drops it
            #expect(try rows(store).count == 3)
            try store.clear()
            #expect(try rows(store).isEmpty)
            for l in neighbours {
                let bytes = try database.open(l)
                #expect(try rows(bytes) == [[]: [9], [0x00]: [8], [0x7F]: [7], [0xFF, 0xFF, 0xFF]: [6]], "\(l) is as it was")
                bytes.close()
            }
            store.close()
        }
    }

    /// A store's rows are found again by its name after a reopen, whichever stores open first
    /// then: ids stay with names, not with the order stores happen to open in.
    @Test func aStoreFindsItsRowsAndCheckpointByNameAfterAReopen() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/stores"
            do {
                let database = try RocksDBStoreDatabase(path: path, environment: smallEnvironment())
                for (name, value) in [("a", UInt8(1)), ("b", 2)] {
                    let bytes = try database.open(location(name, 3))
                    #expect(try bytes.checkpointedOffset() == nil, "no checkpoint before one is written")
                    try bytes.commit(adding: [([0x10], [value])])
                    try bytes.checkpoint(Int64(value) * 1_000_000_000_000)
                    bytes.close()
                }
            }
            let database = try RocksDBStoreDatabase(path: path, environment: smallEnvironment())
            let c = try database.open(location("c", 3))
            let b = try database.open(location("b", 3))
            let a = try database.open(location("a", 3))
            #expect(try rows(c).isEmpty && c.checkpointedOffset() == nil, "a store new since keeps nothing of the others")
            #expect(try rows(a) == [[0x10]: [1]] && a.checkpointedOffset() == 1_000_000_000_000)
            #expect(try rows(b) == [[0x10]: [2]] && b.checkpointedOffset() == 2_000_000_000_000)
            let otherPartition = try database.open(location("a", 4))
            #expect(try otherPartition.checkpointedOffset() == nil, "checkpoints are per partition")
            for s in [a, b, c, otherPartition] { s.close() }
        }
    }

    /// With the write-ahead log off, a crash keeps what was flushed: a checkpoint survives only
    /// with the rows it describes, and rows newer than the last checkpoint may survive too (a
    /// restore from the checkpoint replays them again).
    @Test func aCheckpointSurvivesACrashOnlyWithTheRowsItDescribes() throws {
        try withTemporaryDirectory { dir in
            let database = try RocksDBStoreDatabase(path: dir + "/stores", environment: smallEnvironment())
            let store = try database.open(location("s", 0))
            defer { store.close() }
            try store.commit(adding: [([1], [1])])
            try store.checkpoint(1)
            try database.flush()
            try store.commit(adding: [([2], [2])])
            try store.checkpoint(2)

            try crashImage(of: dir + "/stores", to: dir + "/crash-1")
            do {
                let crashed = try RocksDBStoreDatabase(path: dir + "/crash-1", environment: smallEnvironment()).open(location("s", 0))
                defer { crashed.close() }
                #expect(try crashed.checkpointedOffset() == 1)
                #expect(try rows(crashed) == [[1]: [1]], "the write after the flush is gone, and so is its checkpoint")
            }

            try store.commit(adding: [([3], [3])])  // ahead of the checkpoint
            try database.flush()
            try crashImage(of: dir + "/stores", to: dir + "/crash-2")
            let crashed = try RocksDBStoreDatabase(path: dir + "/crash-2", environment: smallEnvironment()).open(location("s", 0))
            defer { crashed.close() }
            #expect(try crashed.checkpointedOffset() == 2)
            #expect(try rows(crashed) == [[1]: [1], [2]: [2], [3]: [3]])
        }
    }

    /// A range no store has had open for the delay goes, rows and checkpoint; an open one, or one
    /// closed too recently, stays. A range found when the database opens counts from the open.
    @Test func theStateOfTasksThatLeftIsRemovedOnceIdleLongEnough() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/stores"
            func names(_ ranges: [(store: String, partition: Int32)]) -> Set<String> { Set(ranges.map { "\($0.store)/\($0.partition)" }) }
            do {
                let earlier = try RocksDBStoreDatabase(path: path, environment: smallEnvironment()).open(location("s", 9))
                try earlier.commit(adding: [([1], [1])])
                try earlier.checkpoint(5)
                earlier.close()
            }
            let database = try RocksDBStoreDatabase(path: path, environment: smallEnvironment())
            let kept = try database.open(location("s", 0))
            try kept.commit(adding: [([1], [1])])
            let left = try database.open(location("s", 1))
            try left.checkpoint(7)  // a checkpoint alone (nothing stored) is state too
            left.close()
            #expect(try database.removeAbandoned(idle: .seconds(3600)).isEmpty, "nothing has been idle for an hour")
            #expect(try names(database.ranges()) == ["s/0", "s/1", "s/9"])
            #expect(try names(database.removeAbandoned(idle: .zero)) == ["s/1", "s/9"])
            #expect(try names(database.ranges()) == ["s/0"], "the open store's range stays")
            #expect(try rows(kept) == [[1]: [1]])
            let back = try database.open(location("s", 1))
            #expect(try back.checkpointedOffset() == nil && rows(back).isEmpty, "a task that comes back restores from the start")
            back.close()
            kept.close()
        }
    }

    /// Stores on several threads at once, as a worker's stream threads use them, each through an
    /// instance of its own over the one database; new stores get distinct ids while others write.
    @Test func threadsUseTheirStoresAtOnce() throws {
        try withTemporaryDirectory { dir in
            let database = try RocksDBStoreDatabase(path: dir + "/stores", environment: smallEnvironment())
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                do {
                    for round in 0..<20 {
                        let bytes = try database.open(location("store-\(round % 5)", Int32(t)))
                        try bytes.commit(adding: (0..<50).map { ([UInt8(t), UInt8(round), UInt8($0)], [UInt8(t)]) })
                        var seen = 0
                        try bytes.scan(from: nil, to: nil, reverse: false) { k, v in
                            if k.first != UInt8(t) || v.first != UInt8(t) { failures.add("thread \(t) saw \(Array(k))") }
                            seen += 1
                            return true
                        }
                        // store-(round % 5) got 50 rows in this round and in each earlier round with the same remainder.
                        if seen != 50 * (round / 5 + 1) { failures.add("thread \(t), round \(round): \(seen) rows") }
                        bytes.close()
                    }
                } catch {
                    failures.add("thread \(t): \(error)")
                }
            }
            #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        }
    }
}

/// Failures collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
}
