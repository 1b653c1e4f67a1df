import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

/// A driver for a plan made of `pipelines`, with `partitions` for every topic unless given.
func statefulDriver(partitions: Int = 1, _ pipelines: [Pipeline]) throws -> TopologyTestDriver {
    try TopologyTestDriver(plan: TopologyPlan(applicationID: "agg", pipelines: pipelines), defaultPartitions: partitions)
}

/// Windowed counts written as `key@start-end` strings, for readable assertions.
func windowLabel(_ w: Windowed<String>) -> String { "\(w.key)@\(w.window.start)-\(w.window.end)" }

extension TopologyTestDriver {
    var words: TestInputTopic<String, String> { input("words", key: .string, value: .string) }

    /// The windowed counts on `topic` as `partition key@start-end=count @timestamp`, sorted: for
    /// comparing two ways to the same final results.
    func windowedResults(_ topic: String) throws -> [String] {
        try output(topic, key: .windowed(.string), value: .int64).readRecords()
            .map { "\($0.partition) \(windowLabel($0.key))=\($0.value) @\($0.timestamp)" }.sorted()
    }

    /// The latest value per windowed key on `topic` (a table's changes, in order).
    func latestWindowCounts(_ topic: String) throws -> [String: Int64] {
        var latest: [String: Int64?] = [:]
        for r in try output(topic, key: .windowed(.string), value: .int64.optional).readRecords() {
            latest[windowLabel(r.key)] = .some(r.value)
        }
        return latest.compactMapValues { $0 }
    }
}


/// A collector that drops what it is sent: for store tests that do not look at changelogs.
final class DiscardingCollector: RecordCollector {
    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders,
        timestamp: Int64
    ) throws {}
}

/// Counts the reads that reach the bytes under a store, and says it outlives the process when
/// told to (as a worker's RocksDB stores do).
final class CountingBytes: BytesStore {
    let persistent: Bool
    let base: any BytesStore
    var gets = 0
    init(_ base: any BytesStore, persistent: Bool = false) {
        self.base = base
        self.persistent = persistent
    }
    func get(_ key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        gets += 1
        return try base.get(key)
    }
    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws { try base.put(key, value) }
    func scan(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws { try base.scan(from: from, to: to, reverse: reverse, body) }
    func deleteRange(from: [UInt8], to: [UInt8]) throws { try base.deleteRange(from: from, to: to) }
    func commit(adding writes: [([UInt8], [UInt8]?)]) throws {
        try base.commit(adding: writes)
    }
    func discardBatch() { base.discardBatch() }
    func clear() throws { try base.clear() }
    func checkpointedOffset() throws -> Int64? { try base.checkpointedOffset() }
    func checkpoint(_ offset: Int64) throws { try base.checkpoint(offset) }
    func close() { base.close() }
}

/// What a task sent, in order.
final class SentRecords: RecordCollector {
    struct Sent {
        var topic: String
        var partition: Int32?
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: RecordHeaders
    }
    var sent: [Sent] = []

    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders,
        timestamp: Int64
    ) throws {
        sent.append(Sent(topic: topic, partition: partition, key: key.map { Array($0) }, value: value.map { Array($0) }, headers: headers))
    }

    func records(to topic: String) -> [Sent] { sent.filter { $0.topic == topic } }

    /// The windowed counts sent to `topic`, as `windowLabel`s with their counts.
    func windowedCounts(to topic: String) throws -> [String] {
        try records(to: topic).map { r in
            let key = try r.key!.withUnsafeBytes { try WindowedSerde(StringSerde()).deserialize($0) }
            let count = try r.value!.withUnsafeBytes { try Int64Serde().deserialize($0) }
            return "\(windowLabel(key))=\(count)"
        }
    }

    /// A store as a restore from `changelog` leaves it: the last value per key, deletions applied.
    func restoredStore(from changelog: String) throws -> InMemoryBytesStore {
        let restored = InMemoryBytesStore()
        for r in records(to: changelog) {
            try r.key!.withUnsafeBytes { k in
                if let value = r.value { try value.withUnsafeBytes { try restored.put(k, $0) } } else { try restored.put(k, nil) }
            }
        }
        return restored
    }
}

extension StreamTask {
    /// Processes a record of the `words` topic, as a stream thread hands it over.
    func feedWord(_ key: String, at time: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        let ok = Array(key.utf8).withUnsafeBytes { k in
            Array("x".utf8).withUnsafeBytes { v in process(RawRecord(topic: "words", partition: 0, offset: 0, timestamp: time, key: k, value: v)) }
        }
        #expect(ok, sourceLocation: sourceLocation)
    }
}

/// A seeded linear congruential generator: the same "random" workload on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<n`.
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % n
    }
}

/// A store's bytes in a new RocksDB store database at `path`, between neighbours: the same store
/// for the partitions either side and another store for the same partition, each holding rows
/// with the smallest and largest keys, which the store must never see or touch.
func rocksDBBytesBetweenNeighbours(at path: String) throws -> RocksDBBytesStore {
    let database = try RocksDBStoreDatabase(path: path, environment: smallEnvironment())
    for (store, partition) in [("s", Int32(0)), ("s", 2), ("n", 1)] {
        let neighbour = try database.open(StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: partition), store: store))
        try neighbour.commit(adding: [([], [1]), ([0x00], [2]), ([0xFF, 0xFF], [3])])
        try neighbour.checkpoint(42)
        neighbour.close()
    }
    return try database.open(StoreLocation(applicationID: "app", task: TaskID(subtopology: 0, partition: 1), store: "s"))
}
