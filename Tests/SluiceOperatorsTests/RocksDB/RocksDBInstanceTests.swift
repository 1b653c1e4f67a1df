import Foundation
import SluiceOperators
import Testing

@Suite("RocksDBInstance: reads, writes, lifecycle")
struct RocksDBInstanceTests {
    @Test func putGetOverwriteDelete() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir + "/store", environment: smallEnvironment())
            #expect(try db.get(b("a")) == nil)
            try db.put(key: b("a"), value: b("1"))
            #expect(try db.get(b("a")) == b("1"))
            try db.put(key: b("a"), value: b("2"))
            #expect(try db.get(b("a")) == b("2"), "a put replaces the value")
            try db.delete(key: b("a"))
            #expect(try db.get(b("a")) == nil)
            try db.delete(key: b("never-written"))  // not an error

            // An empty value is a value; an empty key is a key.
            try db.put(key: b("e"), value: [])
            #expect(try db.get(b("e")) == [])
            try db.put(key: [], value: b("root"))
            #expect(try db.get([]) == b("root"))
        }
    }

    /// Opening must be cheap (every worker start opens its stores' database, and tools and tests
    /// open many): RocksDB writes the options it opened with to an OPTIONS file, which shows
    /// what is in effect.
    @Test func opensWithoutLoaderThreadsOrLargeManifestPreallocation() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir + "/store", environment: smallEnvironment())
            defer { db.close() }
            let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/store")
            let optionsFile = try #require(files.first { $0.hasPrefix("OPTIONS-") }, "files: \(files)")
            let text = try String(contentsOfFile: dir + "/store/" + optionsFile, encoding: .utf8)
            #expect(text.contains("max_file_opening_threads=1\n"))
            #expect(text.contains("manifest_preallocation_size=65536\n"))
        }
    }

    @Test func withValueLendsTheBytesAndTellsAbsentFromEmpty() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir, environment: smallEnvironment())
            try db.put(key: b("k"), value: [1, 2, 3, 0xFF])
            try db.put(key: b("empty"), value: [])
            #expect(try db.withValue(for: b("k")) { $0.map { Array($0) } } == [1, 2, 3, 0xFF])
            #expect(try db.withValue(for: b("empty")) { $0?.count } == 0)
            #expect(try db.withValue(for: b("absent")) { $0 == nil })
            // The same, read from an SST file through the block cache rather than the memtable.
            try db.flush()
            #expect(try db.withValue(for: b("k")) { $0.map { Array($0) } } == [1, 2, 3, 0xFF])
        }
    }

    @Test func aBatchIsInvisibleUntilWrittenThenAllOfItIsThere() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir, environment: smallEnvironment())
            try db.put(key: b("old"), value: b("x"))
            let batch = RocksDBWriteBatch()
            #expect(batch.isEmpty)
            batch.put(key: b("a"), value: b("1"))
            batch.put(key: b("b"), value: b("2"))
            batch.put(key: b("gone"), value: b("3"))
            batch.delete(key: b("gone"))  // later operations on a key win
            batch.delete(key: b("old"))
            #expect(batch.count == 5)
            #expect(batch.byteCount > 0)

            #expect(try db.keys() == [b("old")], "nothing of the batch before write")
            try db.write(batch)
            #expect(try db.keys() == [b("a"), b("b")])
            #expect(try db.get(b("a")) == b("1") && db.get(b("b")) == b("2"))
            #expect(batch.count == 5, "writing leaves the batch as it is")

            batch.clear()
            #expect(batch.count == 0 && batch.isEmpty)
            batch.put(key: b("c"), value: b("4"))
            try db.write(batch)
            #expect(try db.keys() == [b("a"), b("b"), b("c")], "a cleared batch is reusable")
            try db.write(RocksDBWriteBatch())  // an empty batch writes nothing and is fine
        }
    }

    @Test func aBatchTakesRawBuffersAndCopiesThem() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir, environment: smallEnvironment())
            let batch = RocksDBWriteBatch()
            var scratch: [UInt8] = [1, 1]
            scratch.withUnsafeBytes { batch.put(key: $0, value: $0) }
            scratch = [2, 2]  // the batch copied the old bytes already
            scratch.withUnsafeBytes { batch.put(key: $0, value: $0) }
            [UInt8]([1, 1]).withUnsafeBytes { batch.delete(key: $0) }
            try db.write(batch)
            #expect(try db.keys() == [[2, 2]])
        }
    }

    @Test func walOnSurvivesACrashWithoutAFlush() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let db = try RocksDBInstance(path: dir + "/store", environment: env, options: .init(disableWAL: false))
            try db.put(key: b("k"), value: b("v"))
            try crashImage(of: dir + "/store", to: dir + "/crashed")
            let recovered = try RocksDBInstance(path: dir + "/crashed", environment: env)
            #expect(try recovered.get(b("k")) == b("v"), "replayed from the WAL")
        }
    }

    /// The WAL-off contract: RocksDB alone keeps only what was flushed (or cleanly closed); after
    /// a crash the rest comes from the changelog, up to the offset of the last checkpoint.
    @Test func walOffKeepsOnlyWhatWasFlushedWhenItCrashes() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let db = try RocksDBInstance(path: dir + "/store", environment: env)
            #expect(db.options.disableWAL, "the default")
            try db.put(key: b("flushed"), value: b("1"))
            try db.flush()
            try db.put(key: b("unflushed"), value: b("2"))

            try crashImage(of: dir + "/store", to: dir + "/crash-1")
            let afterCrash = try RocksDBInstance(path: dir + "/crash-1", environment: env)
            #expect(try afterCrash.get(b("flushed")) == b("1"))
            #expect(try afterCrash.get(b("unflushed")) == nil, "a write after the last flush is lost")

            try db.flush()
            try crashImage(of: dir + "/store", to: dir + "/crash-2")
            let afterFlush = try RocksDBInstance(path: dir + "/crash-2", environment: env)
            #expect(try afterFlush.get(b("unflushed")) == b("2"))
        }
    }

    @Test func aCleanCloseKeepsEverythingWithOrWithoutTheWAL() throws {
        for disableWAL in [true, false] {
            try withTemporaryDirectory { dir in
                let env = try smallEnvironment()
                var db = try RocksDBInstance(path: dir, environment: env, options: .init(disableWAL: disableWAL))
                try db.put(key: b("k"), value: b("v"))
                db.close()
                db = try RocksDBInstance(path: dir, environment: env, options: .init(disableWAL: disableWAL))
                #expect(try db.get(b("k")) == b("v"), "disableWAL: \(disableWAL)")
            }
        }
    }

    @Test func destroyWipesTheStore() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let path = dir + "/store"
            var db = try RocksDBInstance(path: path, environment: env)
            try db.put(key: b("k"), value: b("v"))
            #expect(throws: RocksDBError.self, "not while it is open") { try RocksDBInstance.destroy(path: path) }
            db.close()
            try RocksDBInstance.destroy(path: path)
            #expect(!FileManager.default.fileExists(atPath: path + "/CURRENT"))
            db = try RocksDBInstance(path: path, environment: env)
            #expect(try db.get(b("k")) == nil)
            #expect(try db.approximateCount() == 0)
            db.close()
            try RocksDBInstance.destroy(path: dir + "/never-created")  // nothing to wipe is fine
        }
    }

    @Test func aRegularFileIsNoPlaceForAStore() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let file = dir + "/file"
            #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
            for path in [file, file + "/below"] {
                let error = try #require(throws: RocksDBError.self) {
                    try RocksDBInstance(path: path, environment: env)
                }
                #expect(error.code == .open)
                #expect(error.description.contains("not a directory"), "\(error)")
            }
            // Without createIfMissing, RocksDB itself refuses it.
            let error = try #require(throws: RocksDBError.self) {
                try RocksDBInstance(path: file, environment: env, options: .init(createIfMissing: false))
            }
            #expect(error.code == .open)
            #expect(env.openInstances == 0, "a failed open gives its write-buffer share back")
        }
    }

    @Test func aDamagedFileIsReportedAsCorruptionByReadsAndScans() throws {
        try withTemporaryDirectory { dir in
            let options = RocksDBInstance.Options(compression: .none)
            var db = try RocksDBInstance(path: dir, environment: smallEnvironment(), options: options)
            var rng = SystemRandomNumberGenerator()
            for i in 0..<1_000 { try db.put(key: b("key-\(1_000 + i)"), value: (0..<100).map { _ in rng.next() }) }
            try db.flush()
            db.close()

            // Zero some bytes early in the SST file: its first data blocks, not its footer or index.
            let sst = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".sst") })
            let file = try #require(FileHandle(forUpdatingAtPath: dir + "/" + sst))
            try file.seek(toOffset: 1_000)
            try file.write(contentsOf: Data(repeating: 0, count: 200))
            try file.close()

            // A new environment: the old one's cache may still hold the intact blocks.
            db = try RocksDBInstance(path: dir, environment: smallEnvironment(), options: options)
            let readError = try #require(throws: RocksDBError.self) {
                for i in 0..<1_000 { _ = try db.get(b("key-\(1_000 + i)")) }
            }
            #expect(readError.code == .read && readError.isCorruption, "\(readError)")
            let scanError = try #require(throws: RocksDBError.self) { _ = try db.keys() }
            #expect(scanError.code == .iterate && scanError.isCorruption, "\(scanError)")
        }
    }

    @Test func aStoreOpensOnlyOnce() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let db = try RocksDBInstance(path: dir, environment: env)
            let error = try #require(throws: RocksDBError.self) { try RocksDBInstance(path: dir, environment: env) }
            #expect(error.code == .open && error.message.contains("lock"), "\(error)")
            #expect(env.openInstances == 1)
            db.close()
        }
    }

    @Test func closeIsIdempotentAndLaterCallsThrowClosed() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let db = try RocksDBInstance(path: dir, environment: env)
            try db.put(key: b("k"), value: b("v"))
            db.close()
            db.close()
            #expect(!db.isOpen)
            #expect(env.openInstances == 0)
            for call in [{ _ = try db.get(b("k")) }, { try db.put(key: b("k"), value: b("v")) }, { try db.flush() },
                         { _ = try db.keys() }, { _ = try db.approximateCount() }] as [() throws -> Void] {
                let error = try #require(throws: RocksDBError.self, performing: call)
                #expect(error.code == .closed)
            }
        }
    }

    @Test func aCloseInsideAScanWaitsForTheScanToEnd() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let db = try RocksDBInstance(path: dir, environment: env)
            for i in 0..<10 { try db.put(key: [UInt8(i)], value: [UInt8(i)]) }
            var seen = 0
            try db.iterate { key, _ in
                seen += 1
                db.close()  // RocksDB memory is lent to this closure: the close must wait
                #expect(key.count == 1, "the lent key is still readable")
                #expect(throws: RocksDBError.self) { try db.get([0]) }
                return seen < 3
            }
            #expect(seen == 3)
            #expect(!db.isOpen && env.openInstances == 0, "closed when the scan ended")

            let db2 = try RocksDBInstance(path: dir, environment: env)
            let value = try db2.withValue(for: [5]) { value in
                db2.close()
                return value.map { Array($0) }
            }
            #expect(value == [5] && !db2.isOpen)
        }
    }

    @Test func approximateCountAndProperties() throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir, environment: smallEnvironment())
            for i in 0..<100 { try db.put(key: b("key-\(i)"), value: b("v")) }
            #expect(try db.approximateCount() == 100, "exact for fresh inserts")
            try db.flush()
            #expect(try db.approximateCount() == 100)
            #expect(try db.property("rocksdb.num-files-at-level0") == "1")
            #expect(try db.property("no.such.property") == nil)
        }
    }

    @Test func compressionIsLZ4HereAndFallsBackWhenTheLibraryLacksOne() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            let lz4 = try RocksDBInstance(path: dir + "/lz4", environment: env)
            #expect(lz4.compression == .lz4, "Debian's librocksdb 7.8 links liblz4")
            // Xpress exists only in Windows builds: RocksDB refuses it at open, and the instance
            // opens uncompressed instead of failing.
            let fallback = try RocksDBInstance(path: dir + "/xpress", environment: env, options: .init(compression: .xpress))
            #expect(fallback.compression == .none)
            try fallback.put(key: b("k"), value: b("v"))
            try fallback.flush()
            #expect(try fallback.get(b("k")) == b("v"))
            for compression in [RocksDBInstance.Compression.none, .snappy, .zstd] {
                let db = try RocksDBInstance(path: dir + "/\(compression)", environment: env, options: .init(compression: compression))
                #expect(db.compression == compression)
            }
        }
    }

    @Test func invalidOptionsAreRejected() throws {
        try withTemporaryDirectory { dir in
            let env = try smallEnvironment()
            for options in [RocksDBInstance.Options(maxWriteBufferNumber: 1), .init(bloomFilterBitsPerKey: -1)] {
                let error = try #require(throws: RocksDBError.self) {
                    try RocksDBInstance(path: dir, environment: env, options: options)
                }
                #expect(error.code == .configuration)
            }
            #expect(env.openInstances == 0)
        }
    }
}
