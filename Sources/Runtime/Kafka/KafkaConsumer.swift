internal import CRdKafka
public import Logging
import SluiceTopology
import Synchronization

/// Receives partition assignments of a group consumer.
///
/// - Important: called on the thread that calls `KafkaConsumer.poll`, inside that call, before
///   librdkafka completes the rebalance: commit what was processed in `partitionsRevoked`, since
///   the partitions belong to another member once it returns.
public protocol RebalanceListener: AnyObject {
    /// The partitions are assigned, each at its committed position (or the earliest, when none).
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer)
    /// The partitions are about to be taken away in an orderly rebalance.
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer)
    /// The partitions were lost (the session timed out): another member may own them already, so
    /// nothing of theirs may be committed. By default treated as a revocation.
    func partitionsLost(_ partitions: [TopicPartition], consumer: KafkaConsumer)
}

extension RebalanceListener {
    public func partitionsLost(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        partitionsRevoked(partitions, consumer: consumer)
    }
}

/// A group consumer over librdkafka, polled in batches.
///
/// Positions and commits are explicit: nothing is committed automatically, and a position that
/// the broker no longer holds is reported as `InputLoss`, never skipped silently (DESIGN.md §4).
///
/// - Important: one thread owns a consumer: it polls, commits and seeks. Blocking calls (`poll`
///   with a timeout, `commit`, `committed`, `watermarks`) belong on a dedicated thread.
public final class KafkaConsumer {
    let client: RDKafkaClient
    let queue: OpaquePointer
    public let config: ConsumerConfig
    let logger: Logger
    private let hook: RebalanceHook
    private var topicIDs: [OpaquePointer: Int] = [:]
    private var topicNames: [String] = []
    private var lastTopic: (handle: OpaquePointer?, id: Int) = (nil, 0)
    private let fetchWaker: FetchWaker
    private var closed = false
    private var polling = false
    private var messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: 1)
    private var topicIndex = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private var bufferCapacity = 1
    /// Lends the headers of the records a poll hands out; the loans end when the poll returns.
    private let headerLender = ConsumedRecord.makeLender()

    /// - Throws: `KafkaError` `.configuration` or `.clientCreation`.
    public init(config: ConsumerConfig, logger: Logger = .disabled) throws(KafkaError) {
        self.config = config
        self.logger = logger
        let conf = try RDKafkaConf(config.librdkafkaProperties)
        conf.withPointer { rd_kafka_conf_set_rebalance_cb($0, rebalanceCallback) }
        client = try RDKafkaClient(kind: .consumer, conf: conf, logger: logger)
        // Client events (errors, rebalances) are served by polling the consumer queue.
        rd_kafka_poll_set_consumer(client.handle)
        queue = rd_kafka_queue_get_consumer(client.handle)
        fetchWaker = FetchWaker(client: client, threshold: config.prefetchMessages)
        hook = RebalanceHook()
        client.events.rebalance.withLock { $0 = hook }
        hook.consumer = self
    }

    deinit {
        if !closed {
            hook.listener = nil
            _ = rd_kafka_consumer_close(client.handle)
        }
        rd_kafka_queue_destroy(queue)
        messages.deallocate()
        topicIndex.deallocate()
    }

    /// The object told about assignments; held weakly.
    public var rebalanceListener: (any RebalanceListener)? {
        get { hook.listener }
        set { hook.listener = newValue }
    }

    /// Joins the group for `topics`; partitions arrive through the rebalance listener during `poll`.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for t in topics { list.add(TopicPartition(t, Int32(RD_KAFKA_PARTITION_UA)), offset: nil) }
        try rdCheck(.consumer, "subscribe to \(topics)") { rd_kafka_subscribe(client.handle, list.pointer) }
    }

    /// Reads `partitions` outside any group coordination, from the given offsets (`nil`: earliest).
    public func assign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        let list = Self.starts(partitions)
        try rdCheck(.consumer, "assign") { rd_kafka_assign(client.handle, list.pointer) }
        fetchWaker.forgetAssignment()
    }

    /// Adds `partitions` to a consumer's own assignment (outside any group), each from the given
    /// offset (`nil`: earliest); the partitions already assigned go on fetching undisturbed.
    ///
    /// Prefer this to assigning the whole set again: `assign` stops every assigned partition and
    /// starts it anew, and librdkafka 2.0.2 aborts (`assert: rktp->rktp_started`) when a partition
    /// is stopped a second time before its first stop completed, which back-to-back assigns did.
    public func incrementalAssign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = Self.starts(partitions)
        try rdCheckError(.consumer, "incremental assign") { rd_kafka_incremental_assign(client.handle, list.pointer) }
        fetchWaker.forgetAssignment()
    }

    /// Where each partition starts: its offset, or the earliest when it has none.
    private static func starts(_ partitions: [TopicPartitionOffset]) -> RDKafkaTopicPartitionList {
        let list = RDKafkaTopicPartitionList(capacity: partitions.count)
        for p in partitions { list.add(p.topicPartition, offset: p.offset ?? Int64(RD_KAFKA_OFFSET_BEGINNING)) }
        return list
    }

    /// Removes `partitions` from a consumer's own assignment; the others go on fetching.
    public func incrementalUnassign(_ partitions: [TopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(partitions)
        try rdCheckError(.consumer, "incremental unassign") { rd_kafka_incremental_unassign(client.handle, list.pointer) }
        fetchWaker.forgetAssignment()
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try rdCheck(.consumer, "assignment") { rd_kafka_assignment(client.handle, &list) }
        guard let list else { return [] }
        return RDKafkaTopicPartitionList(adopting: list).partitions
    }

    /// This member's id in the group, empty before it joined.
    public var memberID: String {
        guard let id = rd_kafka_memberid(client.handle) else { return "" }
        defer { rd_kafka_mem_free(client.handle, id) }
        return String(cString: id)
    }

    /// Waits up to `timeout` for `maxRecords` records (a micro-batch) and runs `body` with them.
    ///
    /// Rebalance callbacks run inside this call, before `body`. Consumer errors come in the batch's
    /// `errors`; evicted positions in `losses` (the consumer resumes at the earliest offset the
    /// broker still has). The records are destroyed when `body` returns.
    /// - Throws: `KafkaError` when the consumer hit a fatal error; whatever `body` throws.
    public func poll<R>(maxRecords: Int, timeout: Duration, _ body: (ConsumerBatch) throws -> R) throws -> R {
        if closed { throw KafkaError(.closed, reason: "poll on a closed consumer") }
        if polling { throw KafkaError(.consumer, reason: "poll called from inside a poll's body") }
        polling = true
        defer { polling = false }
        reserve(max(maxRecords, 1))
        let got = rd_kafka_consume_batch_queue(queue, timeout.milliseconds, messages, max(maxRecords, 1))
        var kept = 0
        var errors: [KafkaError] = []
        var losses: [InputLoss] = []
        for i in 0..<max(got, 0) {
            let m = messages[i]!
            if m.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages[kept] = m
                topicIndex[kept] = topicID(m.pointee.rkt)
                kept += 1
            } else {
                handleError(m, errors: &errors, losses: &losses)
                rd_kafka_message_destroy(m)
            }
        }
        defer {
            headerLender.endLoans()
            for i in 0..<kept { rd_kafka_message_destroy(messages[i]) }
        }
        if !losses.isEmpty {
            do {
                try restart(losses)
            } catch {
                errors.append(error)
            }
        }
        if kept > 0 {
            fetchWaker.wakeIfStalled(queue: queue)
            HeaderProbe.check(messages[0]!, logger: logger)
        }
        errors += client.events.takeErrors()
        if let fatal = client.fatalError() { throw fatal }
        // The names are lent for the body, as the messages are: an array in the batch cost a
        // retain and a release per record.
        return try topicNames.withUnsafeBufferPointer { names in
            try body(
                ConsumerBatch(
                    messages: messages, topicIDs: topicIndex, topicNames: names, lender: headerLender, count: kept, errors: errors,
                    losses: losses))
        }
    }

    func assignmentChanged() { fetchWaker.forgetAssignment() }

    /// Grows the poll buffers, reused by every poll, to hold `capacity` messages.
    private func reserve(_ capacity: Int) {
        guard capacity > bufferCapacity else { return }
        messages.deallocate()
        topicIndex.deallocate()
        messages = .allocate(capacity: capacity)
        topicIndex = .allocate(capacity: capacity)
        bufferCapacity = capacity
    }

    /// Leaves the group (revoking partitions through the listener) and stops the consumer.
    public func close() throws(KafkaError) {
        guard !closed else { return }
        closed = true
        try rdCheck(.consumer, "close") { rd_kafka_consumer_close(client.handle) }
    }

    private func topicID(_ rkt: OpaquePointer?) -> Int {
        guard let rkt else { return 0 }
        // Consecutive records mostly share a topic: skip the hash lookup then.
        if rkt == lastTopic.handle { return lastTopic.id }
        if let id = topicIDs[rkt] {
            lastTopic = (rkt, id)
            return id
        }
        let id = topicNames.count
        topicNames.append(String(cString: rd_kafka_topic_name(rkt)))
        topicIDs[rkt] = id
        return id
    }

    private func handleError(
        _ m: UnsafeMutablePointer<rd_kafka_message_t>, errors: inout [KafkaError], losses: inout [InputLoss]
    ) {
        let err = m.pointee.err
        let topic = m.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        if err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, let topic {
            let tp = TopicPartition(topic, m.pointee.partition)
            do {
                losses.append(try recoverFromEvictedPosition(tp, requested: m.pointee.offset))
            } catch {
                errors.append(error)
            }
            return
        }
        let reason = m.pointee.payload.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: m.pointee.len), as: UTF8.self)
        } ?? ""
        let at = topic.map { " on \($0)[\(m.pointee.partition)]" } ?? ""
        errors.append(KafkaError.from(err, .consumer, context: "consume\(at): \(reason)"))
    }

    /// The broker no longer has `requested`: count what was lost, log it loudly; the poll resumes
    /// every lost partition at its earliest offset (`restart`).
    private func recoverFromEvictedPosition(_ tp: TopicPartition, requested: Int64) throws(KafkaError) -> InputLoss {
        let marks = try watermarks(tp, timeout: .seconds(10))
        let loss = InputLoss(topicPartition: tp, requestedOffset: requested, resumedAt: marks.low)
        logger.error(
            "input lost: position evicted",
            metadata: [
                "kafka.topic": "\(tp.topic)", "kafka.partition": "\(tp.partition)",
                "kafka.requested": "\(requested)", "kafka.resumed": "\(marks.low)",
            ])
        return loss
    }

    /// Restarts fetching of each lost partition at the offset it resumes at. After
    /// `auto.offset.reset=error` librdkafka stops the partition and refuses to seek it; only an
    /// assignment starts it again. Under the eager protocol that is the whole assignment, so the
    /// others are re-assigned at their positions, once for all of a poll's losses: a second
    /// assignment before the first one's stops complete aborts librdkafka 2.0.2 (see
    /// `incrementalAssign`).
    private func restart(_ losses: [InputLoss]) throws(KafkaError) {
        var resume: [TopicPartition: Int64] = [:]
        for loss in losses { resume[loss.topicPartition] = loss.resumedAt }
        if String(cString: rd_kafka_rebalance_protocol(client.handle)) == "COOPERATIVE" {
            let lost = RDKafkaTopicPartitionList(Array(resume.keys))
            try rdCheckError(.consumer, "unassign \(resume.keys.sorted())") { rd_kafka_incremental_unassign(client.handle, lost.pointer) }
            let again = RDKafkaTopicPartitionList(resume.map { TopicPartitionOffset($0.key, offset: $0.value) })
            try rdCheckError(.consumer, "assign \(resume.keys.sorted())") { rd_kafka_incremental_assign(client.handle, again.pointer) }
            return
        }
        let current = try assignment()
        let positions = try positions(current)
        let list = RDKafkaTopicPartitionList(capacity: current.count)
        for p in positions {
            list.add(p.topicPartition, offset: resume[p.topicPartition] ?? p.offset)
        }
        try rdCheck(.consumer, "re-assign after \(resume.keys.sorted()) lost input") { rd_kafka_assign(client.handle, list.pointer) }
    }
}

@available(*, unavailable)
extension KafkaConsumer: Sendable {}

/// Connects librdkafka's rebalance callback to the consumer that owns the handle.
final class RebalanceHook: @unchecked Sendable {
    // @unchecked: read and written only on the consumer's polling thread (the callback runs
    // inside rd_kafka_consume_batch_queue / rd_kafka_consumer_close on that thread).
    weak var consumer: KafkaConsumer?
    weak var listener: (any RebalanceListener)?
}

private func rebalanceCallback(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let partitions, let opaque else { return }
    let events = Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
    let hook = events.rebalance.withLock { $0 }
    let list = RDKafkaTopicPartitionList(borrowing: partitions)
    // NULL when the consumer is not (or no longer) a member, e.g. a revoke while closing.
    let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
    let consumer = hook?.consumer
    let listener = hook?.listener

    consumer?.assignmentChanged()
    if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        if let consumer { consumer.chooseStartPositions(list) }
        let result =
            cooperative
            ? rd_kafka_incremental_assign(rk, partitions).map { KafkaError.consuming($0, .rebalance, context: "assign") }
            : { let e = rd_kafka_assign(rk, partitions); return e == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError.from(e, .rebalance, context: "assign") }()
        if let result { events.record(result) }
        if let consumer, let listener { listener.partitionsAssigned(list.partitions, consumer: consumer) }
    } else {
        if let consumer, let listener {
            if rd_kafka_assignment_lost(rk) != 0 {
                listener.partitionsLost(list.partitions, consumer: consumer)
            } else {
                listener.partitionsRevoked(list.partitions, consumer: consumer)
            }
        }
        if cooperative {
            if let e = rd_kafka_incremental_unassign(rk, partitions) {
                events.record(KafkaError.consuming(e, .rebalance, context: "unassign"))
            }
        } else {
            let e = rd_kafka_assign(rk, nil)
            if e != RD_KAFKA_RESP_ERR_NO_ERROR { events.record(KafkaError.from(e, .rebalance, context: "unassign")) }
        }
    }
}
