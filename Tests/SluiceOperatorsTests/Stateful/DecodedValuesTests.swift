import Synchronization
import Testing

@testable import SluiceOperators
import SluiceTopology

/// Counts the values it decodes.
private final class CountingSerde: Serde, Sendable {
    let decodes = Atomic<Int>(0)
    func serialize(_ value: String, into buffer: inout [UInt8]) throws -> Bool {
        buffer.append(contentsOf: value.utf8)
        return true
    }
    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> String {
        decodes.add(1, ordering: .relaxed)
        return String(decoding: bytes!, as: UTF8.self)
    }
}

/// Counts the `Row`s alive.
private final class LiveRows: @unchecked Sendable {
    var count = 0
}

private final class Row {
    let name: String
    let live: LiveRows
    init(_ name: String, _ live: LiveRows) {
        (self.name, self.live) = (name, live)
        live.count += 1
    }
    deinit { live.count -= 1 }
}

@Suite("Decoded values of a key-value store")
struct DecodedValuesTests {
    private func store() -> StateStore {
        StateStore(
            spec: StoreSpec(name: "users", kind: .keyValue),
            location: StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 0), store: "users"),
            bytes: InMemoryBytesStore())
    }

    @Test func aValueIsDecodedOnceAndEveryWriteKeepsTheReadersCurrent() throws {
        let store = store()
        let serde = CountingSerde()
        // A table's source writes, a join reads: two wrappers of one store share the values.
        let writer = KeyValueState(store, key: StringSerde(), value: serde, cachesDecoded: true)
        let reader = KeyValueState(store, key: StringSerde(), value: serde, cachesDecoded: true)
        let k = try reader.storeKey("u1")
        try writer.put(k, "free", timestamp: 1)
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        for _ in 0..<5 { #expect(try reader.get(k)?.value == "free") }
        #expect(serde.decodes.load(ordering: .relaxed) == 0, "the writer's value was kept, never decoded")
        try writer.put(k, "pro", timestamp: 2)
        #expect(try reader.get(k)?.value == "pro" && reader.get(k)?.timestamp == 2)
        try store.put(k, StoreEncoding.timestamped(Array("team".utf8), timestamp: 3))  // a write around the wrappers
        #expect(try reader.get(k)?.value == "team")
        #expect(serde.decodes.load(ordering: .relaxed) == 1, "decoded once after the raw write")
        try writer.put(k, nil, timestamp: 4)
        #expect(try reader.get(k) == nil)
    }

    @Test func aFullCacheTakesTheSlotOfAnotherKey() {
        let values = DecodedValues<String>(limit: 2)
        let keys = (0..<5).map { StoreKey(Array("k\($0)".utf8)) }
        for (i, k) in keys.enumerated() { values.remember(k, "v\(i)", timestamp: Int64(i)) }
        let kept = keys.enumerated().filter { values.find($0.element) != nil }
        #expect(kept.count == 2 && kept.contains { $0.offset == 4 }, "the newest is kept")
        for (i, k) in kept { #expect(values.find(k)! == ("v\(i)", Int64(i))) }
        values.forget(keys[4])
        #expect(values.find(keys[4]) == nil)
        values.remember(keys[0], "again", timestamp: 9)
        #expect(values.find(keys[0])! == ("again", 9), "a forgotten key's slot is reused")
    }

    /// Values move with their keys (the index closes up behind a removal and places every key
    /// again as it grows): each must stay its key's, and each be released once, when forgotten,
    /// replaced, evicted or left in the cache at its end.
    @Test func valuesFollowTheirKeysAndEachIsReleasedOnce() {
        let live = LiveRows()
        var values: DecodedValues<Row>? = DecodedValues<Row>(limit: 600)
        var model: [Int: String] = [:]
        var generator = SystemRandomNumberGenerator()
        func key(_ i: Int) -> StoreKey { StoreKey(Array((i % 2 == 0 ? "user-\(i)" : "a key longer than a bucket holds \(i)").utf8)) }
        for step in 0..<20_000 {
            let i = Int.random(in: 0..<1_000, using: &generator)
            if Int.random(in: 0..<3, using: &generator) == 0 {
                values!.forget(key(i))
                model[i] = nil
            } else {
                values!.remember(key(i), Row("row \(i) at \(step)", live), timestamp: Int64(step))
                model[i] = "row \(i) at \(step)"
            }
            if step % 997 == 0 {
                let kept = model.filter { values!.find(key($0.key)) != nil }
                #expect(kept.allSatisfy { values!.find(key($0.key))?.value.name == $0.value }, "step \(step): a kept key reads its own value")
                #expect(live.count == kept.count, "step \(step): \(live.count) rows alive for \(kept.count) kept")
            }
        }
        values = nil
        #expect(live.count == 0, "rows left alive after the cache went")
    }

    @Test func anAbortForgetsWhatTheTransactionWrote() throws {
        let store = store()
        let state = KeyValueState(store, key: StringSerde(), value: StringSerde(), cachesDecoded: true)
        let k = try state.storeKey("u1")
        try state.put(k, "committed", timestamp: 1)
        try store.commit(to: DiscardingCollector(), timestamp: 0)
        try state.put(k, "aborted", timestamp: 2)
        store.discardPending()
        #expect(try state.get(k)?.value == "committed")
    }

    @Test func storeKeysReuseTheirBytesOnlyWhenNothingKeptThem() throws {
        let store = store()
        let state = KeyValueState(store, key: StringSerde(), value: StringSerde(), cachesDecoded: true)
        func base(_ k: StoreKey) -> UnsafeRawPointer? { k.bytes.withUnsafeBytes { $0.baseAddress } }
        let long = String(repeating: "k", count: 40)
        let first = base(try state.storeKey(long))
        let second = try state.storeKey("user-22")
        // (The capacity tells reuse apart from malloc handing back the block just freed.)
        #expect(base(second) == first && second.bytes.capacity >= 40, "a key dropped after its lookup lends its storage to the next")
        #expect(second.bytes == Array("user-22".utf8) && second == StoreKey(Array("user-22".utf8)))
        try state.put(second, "pro", timestamp: 1)  // the write cache and the decoded values keep the key
        let third = try state.storeKey("u3")
        #expect(base(third) != base(second) && third.bytes == Array("u3".utf8))
        #expect(try state.get(try state.storeKey("user-22"))?.value == "pro", "the kept key still reads its value")
        _ = try state.storeKey(String(repeating: "x", count: 200))
        #expect(try state.storeKey("u4").bytes.capacity < 200, "a large key's buffer is not kept for the next")
    }

    @Test func aQueryReaderNeitherUsesNorInstallsTheCache() throws {
        let store = store()
        _ = KeyValueState(store, key: StringSerde(), value: StringSerde())
        #expect(store.decodedValues == nil)
        _ = KeyValueState(store, key: StringSerde(), value: StringSerde(), cachesDecoded: true)
        _ = KeyValueState(store, key: StringSerde(), value: Int64Serde(), cachesDecoded: true)  // another type: uncached, still correct
        #expect(store.decodedValues is DecodedValues<String>)
    }
}
