import Testing

@testable import SluiceOperators
import SluiceTopology

/// The in-memory sessions of an aggregation's session store must answer every find exactly as a
/// scan of the store does, through writes, deletions, expiry, commits and a reopen.
@Suite("Session stores' sessions in memory")
struct LiveSessionsTests {
    private let location = StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 0), store: "s")
    private let spec = StoreSpec(name: "s", kind: .session(retention: 100))

    private func check(_ inMemory: SessionState<String, Int64>, _ scanning: SessionState<String, Int64>, keys: [String]) throws {
        for key in keys {
            for (earliestEnd, latestStart) in [(Int64.min, Int64.max), (50, 80), (0, 10), (120, 400)] {
                let got = try inMemory.find(inMemory.prefix(key), earliestEnd: earliestEnd, latestStart: latestStart)
                let want = try scanning.find(scanning.prefix(key), earliestEnd: earliestEnd, latestStart: latestStart)
                #expect(got.map(\.window) == want.map(\.window) && got.map(\.value) == want.map(\.value), "\(key) [\(earliestEnd), \(latestStart)]")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func findsAnswerAsAScanOfTheStoreDoes(_ backend: Backend) throws {
        try withBytes(backend) { bytes in
            let store = StateStore(spec: spec, location: location, bytes: bytes)
            let keys = ["a", "b", "c", "bb"]
            // Sessions written before the aggregation reads the store (a restore, a restart).
            let before = SessionState<String, Int64>(store, key: StringSerde(), value: Int64Serde())
            try before.put(before.prefix("a"), Window(start: 5, end: 9), 2)
            try store.commit(to: DiscardingCollector(), timestamp: 0)
            let inMemory = SessionState<String, Int64>(store, key: StringSerde(), value: Int64Serde(), inMemory: true)
            let scanning = SessionState<String, Int64>(store, key: StringSerde(), value: Int64Serde())
            try check(inMemory, scanning, keys: keys)
            var random = SeededRandom(seed: 42)
            func next(_ n: Int) -> Int { random.next(n) }
            var cutoff: Int64 = 0
            for step in 0..<400 {
                let key = keys[next(keys.count)]
                // A key's sessions never overlap: starts on a grid wider than any session.
                let slot = Int64(next(15))
                let window = Window(start: slot * 20, end: slot * 20 + slot % 10)
                if next(4) == 0 {
                    // Delete one of the key's sessions, as a merge does.
                    if let victim = try scanning.find(scanning.prefix(key), earliestEnd: .min, latestStart: .max).first {
                        try inMemory.put(inMemory.prefix(key), victim.window, nil)
                    }
                } else {
                    try inMemory.put(inMemory.prefix(key), window, Int64(step))
                }
                if step % 50 == 49 {
                    cutoff += 40
                    try inMemory.expire(before: cutoff)
                    try store.commit(to: DiscardingCollector(), timestamp: 0)
                }
                try check(inMemory, scanning, keys: keys)
            }
        }
    }
}

private func withBytes(_ backend: Backend, _ body: (any BytesStore) throws -> Void) throws {
    switch backend {
    case .memory: try body(InMemoryBytesStore())
    case .rocksDB:
        try withTemporaryDirectory { path in
            let bytes = try rocksDBBytesBetweenNeighbours(at: path)
            defer { bytes.close() }
            try body(bytes)
        }
    }
}
