import ArgumentParser
import Foundation
import Sluice

/// A topology's tasks in this process, fed records by hand, with no broker: what Flink Nexmark
/// measures (a generator inside the job, state in RocksDB, results into a blackhole sink).
///
/// The tasks, their operators and their RocksDB stores are the worker's own (`StreamTask`,
/// every store in one `RocksDBStoreDatabase`, the commit step every `commitInterval`, the
/// stream thread's read-cache share); what is left out is Kafka. Records for topics a
/// sub-topology reads (repartition and foreign-key topics) wait in memory until `drain`, as they
/// would wait in the broker; every other record (results, changelogs) is counted and dropped.
/// Stream time follows records as they come, as in the TestDriver: one thread runs every task.
final class InProcessTasks: RecordCollector {
    private let plan: TopologyPlan
    private let partitions: [String: Int]
    private let database: RocksDBStoreDatabase
    /// The worker's defaults: commit interval, micro-batch size, store cache.
    let config = WorkerConfig()
    /// The sub-topology reading each topic that one reads (`TopologyPlan.subtopology(reading:)`
    /// searches, too slow to ask per record).
    private let readers: [String: Int]
    /// Tasks by sub-topology and partition, opened on their first record.
    private var tasks: [[StreamTask?]]
    private var queued: [(topic: String, partition: Int32, key: [UInt8]?, value: [UInt8]?, timestamp: Int64)] = []
    /// Offsets only have to be distinct here (dead letters name them): one counter for all.
    private var nextOffset: Int64 = 0
    private var lastCommit = ContinuousClock.now
    /// Records written per topic that no sub-topology reads.
    var written: [String: Int] { lastUnread.count == 0 ? unread : unread.merging([lastUnread.topic: lastUnread.count]) { $0 + $1 } }
    private var unread: [String: Int] = [:]
    /// The last such topic's count: a query writes one topic, and hashing its name per record
    /// would be this harness's cost, not the query's.
    private var lastUnread = (topic: "", count: 0)
    private var lastRead = (topic: "", sub: -1)

    init(plan: TopologyPlan, inputPartitions: Int, stateDirectory: String) throws {
        guard plan.globalTables.isEmpty else { throw ValidationError("in-process runs do not feed global tables") }
        self.plan = plan
        var counts: [String: Int] = [:]
        for topic in plan.inputTopics { counts[topic] = inputPartitions }
        let all = try plan.partitionCounts(existing: counts)
        partitions = counts.merging(all.topics) { given, _ in given }
        readers = Dictionary(uniqueKeysWithValues: plan.subtopologies.flatMap { sub in sub.sourceTopics.map { ($0, sub.id) } })
        tasks = all.subtopologyWidths.map { Array(repeating: nil, count: $0) }
        database = try RocksDBStoreDatabase(
            path: URL(fileURLWithPath: stateDirectory).appendingPathComponent("stores").path,
            environment: RocksDBEnvironment(expectedInstances: 1))
    }

    /// Takes one record through its task (opened on its first record).
    func process(topic: String, partition: Int32, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, timestamp: Int64) throws {
        let sub: Int
        if topic == lastRead.topic {
            sub = lastRead.sub
        } else {
            guard let found = readers[topic] else { return }
            sub = found
            lastRead = (topic, found)
        }
        let task = try tasks[sub][Int(partition)] ?? open(TaskID(subtopology: sub, partition: partition))
        nextOffset += 1
        guard task.process(RawRecord(topic: topic, partition: partition, offset: nextOffset, timestamp: timestamp, key: key, value: value)) else {
            throw ValidationError("task \(task.id) failed: \(task.context.failure.map { "\($0)" } ?? "?")")
        }
    }

    /// Processes what the tasks wrote to topics they read, until none is left; then commits if
    /// the commit interval has passed (a worker commits between its micro-batches).
    func drain() throws {
        while !queued.isEmpty {
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            for r in batch {
                try withBytes(r.key) { key in
                    try withBytes(r.value) { value in
                        try process(topic: r.topic, partition: r.partition, key: key, value: value, timestamp: r.timestamp)
                    }
                }
            }
        }
        if ContinuousClock.now - lastCommit >= config.commitInterval { try commit() }
    }

    /// The commit step of every task: its stores' changes into RocksDB and their changelogs.
    func commit() throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for task in openTasks { try task.commitState(timestamp: now) }
        lastCommit = .now
    }

    func close() {
        for task in openTasks { task.close() }
        tasks = tasks.map { $0.map { _ in nil } }
    }

    var deadLettered: Int { openTasks.reduce(0) { $0 + $1.context.deadLettered } }

    private var openTasks: [StreamTask] { tasks.joined().compactMap { $0 } }

    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: RecordHeaders,
        timestamp: Int64
    ) throws {
        if topic == lastUnread.topic {
            lastUnread.count += 1
            return
        }
        guard readers[topic] != nil else {
            if lastUnread.count > 0 { unread[lastUnread.topic, default: 0] += lastUnread.count }
            lastUnread = (topic, 1)
            return
        }
        guard let count = partitions[topic] else { throw ValidationError("no partition count for \(topic)") }
        let p = partition ?? key.map { KafkaPartitioner.partition(forKey: $0, partitions: count) } ?? Int32.random(in: 0..<Int32(count))
        queued.append((topic, p, key.map { Array($0) }, value.map { Array($0) }, timestamp))
    }

    private func open(_ id: TaskID) throws -> StreamTask {
        let database = database
        let task = try StreamTask(
            id: id, plan: plan, collector: self, stores: { try database.open($0) },
            wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
        tasks[id.subtopology][Int(id.partition)] = task
        // The stream thread's share of the worker's store cache (StreamThread.shareStoreCache).
        // Setting it empties a store's cache, so only where the share changed.
        let stores = openTasks.flatMap { $0.state.stores.values }
        let share = config.storeCacheBytes / max(1, config.threads) / max(1, stores.count)
        for store in stores where store.readCacheBytes != share { store.readCacheBytes = share }
        return task
    }
}

private func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    guard let bytes else { return try body(nil) }
    return try bytes.withUnsafeBytes { try body($0) }
}

/// CPU time of the calling thread.
func threadCPUSeconds() -> Double { cpuSeconds(CLOCK_THREAD_CPUTIME_ID) }

/// CPU time of the whole process (RocksDB's threads too).
func processCPUSeconds() -> Double { cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) }

private func cpuSeconds(_ clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
