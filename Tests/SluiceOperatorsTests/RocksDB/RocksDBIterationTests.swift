import SluiceOperators
import Testing

@Suite("RocksDBInstance: range and prefix scans")
struct RocksDBIterationTests {
    /// Keys around the interesting edges: empty, 0x00, 0xFF, common prefixes of several lengths.
    static let keys: [[UInt8]] = [
        [], [0x00], [0x01], [0x01, 0x00], [0x01, 0x7F], [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x02],
        [0x80], [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0xFF, 0xFF, 0xFF],
    ]

    /// Runs `body` on a store holding `keys` (value = key + [0xAB]), half of them flushed to an SST
    /// file and half in the memtable, so scans merge both.
    func withStore(_ body: (RocksDBInstance) throws -> Void) throws {
        try withTemporaryDirectory { dir in
            let db = try RocksDBInstance(path: dir, environment: smallEnvironment())
            for (i, key) in Self.keys.shuffled().enumerated() {
                try db.put(key: key, value: key + [0xAB])
                if i == Self.keys.count / 2 { try db.flush() }
            }
            try body(db)
        }
    }

    /// The expected keys of `[from, to)`, computed in Swift.
    func expected(from: [UInt8]? = nil, to: [UInt8]? = nil) -> [[UInt8]] {
        Self.keys.filter { k in
            (from.map { !k.lexicographicallyPrecedes($0) } ?? true) && (to.map { k.lexicographicallyPrecedes($0) } ?? true)
        }
    }

    @Test func aFullScanIsInUnsignedByteOrderWithValues() throws {
        try withStore { (db) throws in
            #expect(try db.keys() == Self.keys, "the fixture is sorted, so this is bytewise order")
            var pairsMatch = true
            try db.iterate { k, v in
                pairsMatch = pairsMatch && Array(v) == Array(k) + [0xAB]
                return true
            }
            #expect(pairsMatch)
            #expect(try db.keys(reverse: true) == Self.keys.reversed())
        }
    }

    @Test(arguments: [
        ([0x01], [0x02]), ([0x01, 0x00], [0x01, 0xFF]), ([], [0x01]), ([0x00], [0xFF]), ([0xFF], [0xFF, 0xFF]),
        ([0xFF, 0x00], [0xFF, 0xFF, 0xFF]), ([0x01, 0x80], [0x7F]),
    ] as [([UInt8], [UInt8])])
    func fromIsInclusiveAndToIsExclusive(from: [UInt8], to: [UInt8]) throws {
        try withStore { (db) throws in
            #expect(try db.keys(from: from, to: to) == expected(from: from, to: to))
            #expect(try db.keys(from: from, to: to, reverse: true) == expected(from: from, to: to).reversed())
        }
    }

    @Test func openEndedRanges() throws {
        try withStore { (db) throws in
            #expect(try db.keys(from: [0xFF]) == [[0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0xFF, 0xFF, 0xFF]])
            #expect(try db.keys(from: [0xFF, 0xFF, 0xFF, 0x00]) == [])
            #expect(try db.keys(to: [0x01]) == [[], [0x00]])
            #expect(try db.keys(to: [0x00, 0x00], reverse: true) == [[0x00], []])
            #expect(try db.keys(from: [0x80], reverse: true) == expected(from: [0x80]).reversed())
            // Bounds that are not keys themselves.
            #expect(try db.keys(from: [0x01, 0x01], to: [0x01, 0xFF, 0x00]) == [[0x01, 0x7F], [0x01, 0xFF]])
        }
    }

    @Test func emptyRanges() throws {
        try withStore { (db) throws in
            for reverse in [false, true] {
                #expect(try db.keys(from: [0x01], to: [0x01], reverse: reverse) == [], "from == to")
                #expect(try db.keys(from: [0x02], to: [0x01], reverse: reverse) == [], "from > to")
                #expect(try db.keys(to: [], reverse: reverse) == [], "nothing is below the empty key")
                #expect(try db.keys(from: [0x01, 0x00], to: [0x01, 0x00, 0x00], reverse: reverse) == [[0x01, 0x00]])
                #expect(try db.keys(from: [0x03], to: [0x04], reverse: reverse) == [], "a gap between keys")
            }
        }
    }

    @Test func theBodyStopsTheScan() throws {
        try withStore { (db) throws in
            for reverse in [false, true] {
                var seen: [[UInt8]] = []
                try db.iterate(reverse: reverse) { k, _ in
                    seen.append(Array(k))
                    return seen.count < 3
                }
                #expect(seen == Array((reverse ? Self.keys.reversed() : Self.keys).prefix(3)))
            }
        }
    }

    @Test func prefixScans() throws {
        try withStore { (db) throws in
            #expect(try db.keys(prefix: [0x01]) == [[0x01], [0x01, 0x00], [0x01, 0x7F], [0x01, 0xFF], [0x01, 0xFF, 0xFF]])
            #expect(try db.keys(prefix: [0x01, 0xFF]) == [[0x01, 0xFF], [0x01, 0xFF, 0xFF]], "successor [0x02]")
            #expect(try db.keys(prefix: [0x01], reverse: true) == [[0x01], [0x01, 0x00], [0x01, 0x7F], [0x01, 0xFF], [0x01, 0xFF, 0xFF]].reversed())
            #expect(try db.keys(prefix: [0x03]) == [])
            #expect(try db.keys(prefix: []) == Self.keys, "the empty prefix matches everything")
        }
    }

    @Test func prefixesOfOnly0xFFRunToTheEnd() throws {
        try withStore { (db) throws in
            #expect(try db.keys(prefix: [0xFF]) == [[0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0xFF, 0xFF, 0xFF]])
            #expect(try db.keys(prefix: [0xFF, 0xFF]) == [[0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0xFF, 0xFF, 0xFF]])
            #expect(try db.keys(prefix: [0xFF, 0xFF], reverse: true) == [[0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0xFF, 0xFF]])
            #expect(try db.keys(prefix: [0xFF, 0xFF, 0xFF, 0xFF]) == [])
        }
    }

    @Test func scansNestAndSeeTheirOwnBounds() throws {
        try withStore { (db) throws in
            var pairs: [[UInt8]] = []
            try db.prefixScan([0x01]) { outer, _ in
                let outerKey = Array(outer)
                try db.prefixScan([0xFF, 0xFF]) { inner, _ in
                    pairs.append(outerKey + Array(inner))
                    return true
                }
                return true
            }
            #expect(pairs.count == 5 * 3, "the inner scan's bounds do not disturb the outer scan")
            #expect(try db.keys(prefix: [0x01]).count == 5, "and the options reused afterwards are clean")
        }
    }

    @Test func anErrorFromTheBodyEndsTheScanAndLeavesTheStoreUsable() throws {
        struct Stop: Error {}
        try withStore { (db) throws in
            #expect(throws: Stop.self) { try db.iterate { _, _ in throw Stop() } }
            #expect(try db.keys() == Self.keys)
            try db.put(key: [0x03], value: [])
            #expect(try db.keys(from: [0x02], to: [0x04]) == [[0x02], [0x03]])
        }
    }

    @Test func deletedKeysDoNotShowUp() throws {
        try withStore { (db) throws in
            try db.flush()
            try db.delete(key: [0x01, 0x7F])
            try db.delete(key: [0xFF])
            #expect(try db.keys(prefix: [0x01]) == [[0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF]])
            #expect(try db.keys(from: [0xFE], to: [0xFF, 0x01]) == [[0xFF, 0x00]])
        }
    }
}
