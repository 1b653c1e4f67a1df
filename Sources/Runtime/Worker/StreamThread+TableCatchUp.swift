import Logging
import SluiceOperators
import SluiceTopology

/// A task reading its lookup tables to their end before its streams (`TopologyPlan.lookupTableTopics`).
struct TableCatchUp {
    /// Per table partition, the end it had when the task started.
    var ends: [TopicPartition: Int64]
    /// The task's other inputs, paused until every table partition reached its end.
    let held: [TopicPartition]
    let startedAt: ContinuousClock.Instant
}

// A stream-table join looks the table up when a stream record is processed. When a task starts,
// its table's topic may hold rows its stream records were written against (a fresh application, a
// task that moved without a checkpoint): the task first reads its table partitions up to the end
// they have now, with its other inputs paused, so its first stream records see those rows.
// Kafka Streams gets close to this by picking the record with the smallest timestamp among a
// task's partitions; reading the table first gives the same answer without comparing timestamps
// per record, and whatever the table rows' timestamps.
extension StreamThread {
    /// A table written inside a transaction left open (the consumer cannot read past it) or a
    /// broker that never serves the end: after this long the streams go on, with a warning.
    static let tableCatchUpLimit: Duration = .seconds(60)

    /// Holds the task's stream inputs back when its table partitions have records left to read.
    /// - Returns: the inputs held (the caller must not resume them).
    func holdStreamsUntilTablesRead(_ id: TaskID, inputs: [TopicPartition]) throws -> Set<TopicPartition> {
        let tables = inputs.filter { lookupTableTopics.contains($0.topic) }
        let streams = inputs.filter { !lookupTableTopics.contains($0.topic) }
        guard !tables.isEmpty, !streams.isEmpty else { return [] }
        let committed = Dictionary(
            try consumer.committed(tables, timeout: .seconds(10)).map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var ends: [TopicPartition: Int64] = [:]
        for tp in tables {
            let marks = try consumer.watermarks(tp, timeout: .seconds(10))
            let from = max(committed[tp].flatMap { $0 } ?? marks.low, marks.low)
            if from < marks.high { ends[tp] = marks.high }
        }
        guard !ends.isEmpty else { return [] }
        try consumer.pause(streams)
        catchingUp[id] = TableCatchUp(ends: ends, held: streams, startedAt: .now)
        heldForTables.formUnion(streams)
        logger.info("task reads its tables first", metadata: ["task": "\(id)", "records": "\(ends.values.reduce(0, +))"])
        return Set(streams)
    }

    /// Lets each task's streams through once its tables are read to the end they had.
    func advanceTableCatchUp() throws {
        for (id, catchUp) in catchingUp {
            var left = catchUp.ends
            for p in try consumer.positions(Array(left.keys)) {
                if let at = p.offset, at >= left[p.topicPartition] ?? .max { left[p.topicPartition] = nil }
            }
            let overdue = ContinuousClock.now - catchUp.startedAt > Self.tableCatchUpLimit
            if overdue {
                logger.warning(
                    "task's tables not read to their end in time; its streams go on", metadata: ["task": "\(id)", "partitions": "\(left.keys)"])
            }
            guard left.isEmpty || overdue else {
                catchingUp[id]?.ends = left
                continue
            }
            catchingUp[id] = nil
            heldForTables.subtract(catchUp.held)
            try consumer.resume(catchUp.held)
            logger.info("task's tables read; its streams go on", metadata: ["task": "\(id)"])
        }
    }

    /// A record of a held input came through anyway (fetched before the pause): it goes back.
    func holdBack(_ tp: TopicPartition, from offset: Int64) throws {
        try consumer.seek([TopicPartitionOffset(tp, offset: offset)], timeout: .seconds(10))
        try consumer.pause([tp])
    }

    /// Closed tasks no longer wait.
    func forgetTableCatchUp(_ ids: Set<TaskID>) {
        for id in ids {
            guard let catchUp = catchingUp.removeValue(forKey: id) else { continue }
            heldForTables.subtract(catchUp.held)
        }
    }
}
