import Foundation
import Logging
import SluiceOperators
import SluiceTopology
import Synchronization

/// One stream thread (DESIGN.md §3): a consumer and a producer of its own, and the tasks of the
/// partitions assigned to it. It polls a micro-batch, takes each record depth-first through its
/// task's operators, and runs one commit step per commit interval.
/// - Important: everything here runs on the thread itself; only `state` is shared.
final class StreamThread: RebalanceListener {
    let index: Int
    let plan: TopologyPlan
    let config: WorkerConfig
    let client: KafkaConfig
    let state: WorkerState
    var logger: Logger

    private var consumer: KafkaConsumer!
    private var collector: KafkaRecordCollector!
    private var tasks: [TaskID: StreamTask] = [:]
    /// Tasks by sub-topology and partition, for a lookup per record without hashing.
    private var slots: [[StreamTask?]] = []
    /// Sub-topology per consumer topic id (`-1`: a topic the plan does not read).
    private var routes: [Int] = []
    /// Next offset to commit, per consumer topic id and partition (`-1`: nothing new).
    private var pending: [[Int64]] = []
    private var topicNames: [Int: String] = [:]
    private var retired: [String: OperatorCounts] = [:]
    private var snapshot = ThreadSnapshot()
    private var lastCommit = ContinuousClock.now
    /// Times batches per sub-topology and commit steps (metrics).
    private let observer: ThreadObserver

    init(index: Int, plan: TopologyPlan, config: WorkerConfig, client: KafkaConfig, state: WorkerState, logger: Logger) {
        self.index = index
        self.plan = plan
        self.config = config
        self.client = client
        self.state = state
        var logger = logger
        logger[metadataKey: "streams.thread"] = "\(index)"
        self.logger = logger
        slots = plan.subtopologies.map { _ in [] }
        observer = ThreadObserver(metrics: state.metrics, subtopologies: plan.subtopologies.count)
    }

    /// The thread's body: runs until the worker stops or a fatal error.
    func run() {
        do {
            try start()
            while !state.stopRequested.load(ordering: .acquiring) {
                try runOnce()
            }
            try shutDown()
        } catch {
            let fatal = (error as? StreamsError) ?? StreamsError(.fatal, "stream thread \(index): \(error)", underlying: error as? KafkaError)
            logger.critical("stream thread failed", metadata: ["error": "\(fatal)"])
            state.fail(fatal)
            try? consumer?.close()
        }
    }

    private func start() throws {
        let consumerConfig = ConsumerConfig(client: client, groupID: plan.applicationID)
        consumer = try KafkaConsumer(config: consumerConfig, logger: logger)
        consumer.rebalanceListener = self
        let producer = try KafkaProducer(config: ProducerConfig(client: client), logger: logger)
        collector = KafkaRecordCollector(producer: producer)
        try consumer.subscribe(plan.subtopologies.flatMap(\.sourceTopics))
    }

    /// One micro-batch, and a commit step when the interval has passed.
    private func runOnce() throws {
        let count = try consumer.poll(maxRecords: config.batchSize, timeout: config.batchLinger) { batch in
            try handle(batch)
            return batch.count
        }
        if count > 0, state.processed.add(count, ordering: .relaxed).oldValue == 0 {
            state.firstRecords.withLock { $0 = $0 ?? .now }
        }
        collector.producer.poll()
        if ContinuousClock.now - lastCommit >= config.commitInterval { try commit() }
    }

    /// Takes a micro-batch through the tasks, depth-first, record by record.
    private func handle(_ batch: ConsumerBatch) throws {
        for error in batch.errors {
            if error.isFatal { throw StreamsError(.fatal, "consumer: \(error.reason)", underlying: error) }
            snapshot.observations.consumerErrors += 1
            logger.warning("consumer error", metadata: ["error": "\(error)"])
        }
        for loss in batch.losses {
            snapshot.lostRecords += loss.lostRecords ?? 0
            logger.error("input lost before it was read", metadata: ["loss": "\(loss)"])
        }
        // The loop works on local copies: a class's stored properties are checked for exclusive
        // access at run time on every use, and this loop runs once per record.
        var pending = self.pending
        self.pending = []
        defer { self.pending = pending }
        observer.batchStarted()
        defer { observer.batchEnded() }
        for i in 0..<batch.count {
            let r = batch[i]
            let sub = route(r.topicID, r.topic, &pending)
            observer.enter(sub)
            guard sub >= 0, Int(r.partition) < slots[sub].count, let task = slots[sub][Int(r.partition)] else { continue }
            let raw = RawRecord(
                topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key,
                value: r.value, headers: r.hasHeaders ? r.headers : RecordHeaders())
            guard task.process(raw) else {
                throw StreamsError(.fatal, "task \(task.id) failed: \(task.context.failure!)", underlying: task.context.failure as? KafkaError)
            }
            pending[r.topicID][Int(r.partition)] = r.offset + 1
        }
    }

    /// The commit step: every output acknowledged, then the input offsets committed (at-least-once).
    /// A failed delivery rewinds the partitions to their committed offsets instead.
    private func commit() throws {
        lastCommit = ContinuousClock.now
        var offsets: [TopicPartitionOffset] = []
        for (topicID, partitions) in pending.enumerated() {
            for (p, next) in partitions.enumerated() where next >= 0 {
                offsets.append(TopicPartitionOffset(TopicPartition(topicNames[topicID]!, Int32(p)), offset: next))
            }
        }
        if offsets.isEmpty && collector.sent == 0 { return publish() }
        do {
            try flush()
        } catch {
            guard let kafka = error as? KafkaError, !kafka.isFatal else { throw error }
            logger.error("outputs not acknowledged: rewinding to the committed offsets", metadata: ["error": "\(kafka)"])
            try rewind()
            return
        }
        try consumer.commit(offsets)
        observer.committed(since: lastCommit)
        snapshot.observations.committed(offsets)
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        collector.resetSent()
        snapshot.commits += 1
        publish()
    }

    /// Waits out broker outages: flush again while records are merely slow, until delivery fails.
    private func flush() throws {
        while true {
            do {
                try collector.producer.flush(timeout: .seconds(10))
                return
            } catch {
                guard error.code == .timedOut else { throw error }
                logger.warning("outputs still in flight; waiting", metadata: ["in_flight": "\(collector.producer.inFlight)"])
            }
        }
    }

    private func rewind() throws {
        let assigned = try consumer.assignment()
        let committed = try consumer.committed(assigned, timeout: .seconds(30))
        try consumer.seek(committed, timeout: .seconds(30))
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        collector.resetSent()
        snapshot.rewinds += 1
    }

    private func shutDown() throws {
        try commit()
        try consumer.close()  // revokes (closing the tasks) and leaves the group
        try flush()
        publish()
        logger.info("stream thread stopped")
    }

    private func route(_ topicID: Int, _ topic: String, _ pending: inout [[Int64]]) -> Int {
        if topicID < routes.count, routes[topicID] != -2 { return routes[topicID] }
        while routes.count <= topicID {
            routes.append(-2)
            pending.append([])
        }
        let sub = plan.subtopology(reading: topic) ?? -1
        routes[topicID] = sub
        topicNames[topicID] = topic
        let partitions = (slots.indices.contains(sub) ? slots[sub].count : 0)
        pending[topicID] = Array(repeating: -1, count: max(partitions, 1))
        return sub
    }

    private func publish() {
        var all = retired
        for task in tasks.values {
            for c in task.context.counts { all[c.node.name] = all[c.node.name].map { $0 + c } ?? c }
        }
        snapshot.counts = Array(all.values)
        snapshot.tasks = tasks.keys.sorted()
        snapshot.observations.streamTimes = tasks.mapValues(\.context.streamTime)
        snapshot.observations.producerErrors = collector.producer.clientErrorCount + snapshot.rewinds
        state.publish(thread: index, snapshot)
    }

    // MARK: Rebalances (called inside `consumer.poll`, on this thread)

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        snapshot.observations.rebalances += 1
        snapshot.observations.forget(partitions)
        for tp in partitions {
            guard let sub = plan.subtopology(reading: tp.topic) else { continue }
            let id = TaskID(subtopology: sub, partition: tp.partition)
            if tasks[id] == nil {
                let task = StreamTask(id: id, plan: plan, collector: collector, wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
                tasks[id] = task
                while slots[sub].count <= Int(tp.partition) { slots[sub].append(nil) }
                slots[sub][Int(tp.partition)] = task
            }
        }
        for i in routes.indices where routes[i] >= 0 {
            let needed = slots[routes[i]].count
            if pending[i].count < needed { pending[i] += Array(repeating: -1, count: needed - pending[i].count) }
        }
        logger.info("partitions assigned", metadata: ["tasks": "\(tasks.keys.sorted())"])
        publish()
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        do {
            try commit()
        } catch {
            logger.error("commit before revocation failed", metadata: ["error": "\(error)"])
        }
        closeTasks(of: partitions)
    }

    func partitionsLost(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        // Another member may own them already: nothing of theirs may be committed.
        for i in pending.indices { for p in pending[i].indices { pending[i][p] = -1 } }
        closeTasks(of: partitions)
    }

    private func closeTasks(of partitions: [TopicPartition]) {
        snapshot.observations.forget(partitions)
        for tp in partitions {
            guard let sub = plan.subtopology(reading: tp.topic) else { continue }
            let id = TaskID(subtopology: sub, partition: tp.partition)
            guard let task = tasks.removeValue(forKey: id) else { continue }
            for c in task.context.counts { retired[c.node.name] = retired[c.node.name].map { $0 + c } ?? c }
            slots[sub][Int(tp.partition)] = nil
        }
        logger.info("partitions revoked", metadata: ["tasks": "\(tasks.keys.sorted())"])
        publish()
    }
}
