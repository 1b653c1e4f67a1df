import Dispatch
import SluiceOperators
import Synchronization
import Testing

@Suite("RocksDBEnvironment: one cache and one write-buffer budget per worker")
struct RocksDBEnvironmentTests {
    @Test func instancesReadThroughOneSharedBlockCache() throws {
        try withTemporaryDirectory { dir in
            let env = try RocksDBEnvironment(blockCacheBytes: 32 << 20, writeBufferBudgetBytes: 16 << 20)
            let a = try RocksDBInstance(path: dir + "/a", environment: env)
            let b = try RocksDBInstance(path: dir + "/b", environment: env)
            let value = [UInt8](repeating: 7, count: 200)
            for db in [a, b] {
                let batch = RocksDBWriteBatch()
                for i in 0..<5_000 { batch.put(key: key(i), value: value) }
                try db.write(batch)
                try db.flush()  // into SST files: only those are read through the block cache
            }
            let before = env.blockCacheUsage

            for i in stride(from: 0, to: 5_000, by: 7) { #expect(try a.get(key(i)) == value) }
            let afterA = env.blockCacheUsage
            #expect(afterA > before + 100_000, "a's data blocks were cached: \(before) -> \(afterA)")

            for i in stride(from: 0, to: 5_000, by: 7) { #expect(try b.get(key(i)) == value) }
            let afterB = env.blockCacheUsage
            #expect(afterB > afterA + 100_000, "b's blocks land in the same cache: \(afterA) -> \(afterB)")
            #expect(afterB <= env.blockCacheBytes)
        }
    }

    @Test func writeBuffersAreSizedFromTheBudgetAsInstancesOpen() throws {
        try withTemporaryDirectory { dir in
            let env = try RocksDBEnvironment(writeBufferBudgetBytes: 64 << 20, expectedInstances: 2)
            var open: [RocksDBInstance] = []
            for i in 0..<3 { open.append(try RocksDBInstance(path: dir + "/\(i)", environment: env)) }
            // 64 MiB / max(2, n + 1) / 2 memtables each.
            #expect(open.map(\.writeBufferSize) == [16 << 20, 16 << 20, (64 << 20) / 3 / 2])
            #expect(env.openInstances == 3)

            // Three memtables per instance: smaller shares.
            let four = try RocksDBInstance(path: dir + "/3", environment: env, options: .init(maxWriteBufferNumber: 3))
            #expect(four.writeBufferSize == (64 << 20) / 4 / 3)
            four.close()

            open.removeAll()  // deinit closes
            #expect(env.openInstances == 0)
            let again = try RocksDBInstance(path: dir + "/0", environment: env)
            #expect(again.writeBufferSize == 16 << 20, "closed instances gave their shares back")
        }
    }

    @Test func writeBufferSizesAreClampedToOneAndSixtyFourMiB() throws {
        let MiB = 1 << 20
        let size = RocksDBEnvironment.writeBufferSize
        #expect(size(64 * MiB, 8, 0, 2) == 4 * MiB)
        #expect(size(64 * MiB, 8, 20, 2) == 64 * MiB / 21 / 2)
        #expect(size(1 * MiB, 8, 0, 2) == 1 * MiB, "floor")
        #expect(size(1024 * MiB, 1, 0, 2) == 64 * MiB, "cap")
        #expect(RocksDBEnvironment.minWriteBufferBytes == MiB && RocksDBEnvironment.maxWriteBufferBytes == 64 * MiB)
        try withTemporaryDirectory { dir in
            let tiny = try RocksDBEnvironment(writeBufferBudgetBytes: 1 << 10)
            #expect(try RocksDBInstance(path: dir + "/t", environment: tiny).writeBufferSize == MiB)
            let huge = try RocksDBEnvironment(writeBufferBudgetBytes: 1 << 40, expectedInstances: 1)
            #expect(try RocksDBInstance(path: dir + "/h", environment: huge).writeBufferSize == 64 * MiB)
        }
    }

    @Test func settingsMustBePositive() {
        for (cache, budget, expected) in [(0, 1, 1), (1, -1, 1), (1, 1, 0)] {
            #expect(throws: RocksDBError.self) {
                try RocksDBEnvironment(blockCacheBytes: cache, writeBufferBudgetBytes: budget, expectedInstances: expected)
            }
        }
    }

    @Test func instancesOnSeveralThreadsAtOnce() throws {
        try withTemporaryDirectory { dir in
            let env = try RocksDBEnvironment(blockCacheBytes: 8 << 20, writeBufferBudgetBytes: 8 << 20, expectedInstances: 4)
            let failures = Mutex<[String]>([])
            let counts = Mutex<[Int: Int]>([:])
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                do {
                    // Each thread owns its instance, as each task does; they share the environment.
                    let db = try RocksDBInstance(path: dir + "/\(t)", environment: env)
                    let batch = RocksDBWriteBatch()
                    for round in 0..<5 {
                        batch.clear()
                        for i in 0..<1_000 { batch.put(key: key(round * 1_000 + i), value: [UInt8(t)]) }
                        try db.write(batch)
                        if round == 2 { try db.flush() }
                    }
                    var n = 0
                    try db.iterate { _, v in
                        if v.first != UInt8(t) { failures.withLock { $0.append("thread \(t) read another's value") } }
                        n += 1
                        return true
                    }
                    #expect(try db.get(key(4_321)) == [UInt8(t)])
                    counts.withLock { $0[t] = n }
                    db.close()
                } catch {
                    failures.withLock { $0.append("thread \(t): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(counts.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<8).map { ($0, 5_000) }))
            #expect(env.openInstances == 0)
        }
    }
}

/// A fixed-width big-endian key, so byte order is numeric order.
private func key(_ i: Int) -> [UInt8] {
    withUnsafeBytes(of: UInt32(i).bigEndian) { Array($0) }
}
