import SluiceOperators
import SluiceTopology

/// Turns successive worker snapshots into rates, event-time lags and a lag history.
/// - Important: used under the lock of its owner, `WorkerObservability`.
struct StatusSampler {
    private let plan: TopologyPlan
    private let historyLength: Int
    /// Recent `(time, received per operator)` samples, oldest first, for throughput.
    private var recent: [(at: ContinuousClock.Instant, received: [String: Int])] = []
    private var history: [TopicPartition: [[Int64]]] = [:]
    /// How far back a rate looks.
    private let rateWindow: Duration = .seconds(5)

    init(plan: TopologyPlan, historyLength: Int) {
        self.plan = plan
        self.historyLength = max(historyLength, 2)
    }

    /// Seconds between `nowMs` and the stream time of each operator's most lagging task.
    static func eventTimeLags(_ snapshot: WorkerSnapshot, plan: TopologyPlan, nowMs: Int64) -> [String: Double] {
        var oldest: [Int: Int64] = [:]
        for (task, time) in snapshot.observations.streamTimes where time >= 0 {
            oldest[task.subtopology] = min(oldest[task.subtopology] ?? .max, time)
        }
        var lags: [String: Double] = [:]
        for sub in plan.subtopologies {
            guard let time = oldest[sub.id] else { continue }
            for node in sub.nodes { lags[node.name] = Double(max(nowMs - time, 0)) / 1000 }
        }
        return lags
    }

    /// Adds a sample and returns the status it makes.
    mutating func sample(
        _ snapshot: WorkerSnapshot, lags: [PartitionLag], nowMs: Int64, base: WorkerStatus
    ) -> WorkerStatus {
        let now = ContinuousClock.now
        let received = snapshot.counts.mapValues(\.received)
        recent.append((now, received))
        while recent.count > 2, now - recent[1].at >= rateWindow { recent.removeFirst() }
        let first = recent[0]
        let seconds = (now - first.at) / .seconds(1)

        for lag in lags {
            var points = history[lag.topicPartition] ?? []
            points.append([nowMs, lag.lag])
            if points.count > historyLength { points.removeFirst(points.count - historyLength) }
            history[lag.topicPartition] = points
        }

        let eventLags = Self.eventTimeLags(snapshot, plan: plan, nowMs: nowMs)
        var status = base
        status.sampledAt = nowMs
        status.operators = plan.subtopologies.flatMap(\.nodes).map { node in
            let c = snapshot.counts[node.name]
            let before = first.received[node.name] ?? 0
            let rate = seconds > 0.2 ? Double((c?.received ?? 0) - before) / seconds : 0
            return WorkerStatus.Operator(
                name: node.name, operation: node.operation, subtopology: node.subtopology, received: c?.received ?? 0,
                forwarded: c?.forwarded ?? 0, filtered: c?.filtered ?? 0, deadLettered: c?.deadLettered ?? 0,
                recordsPerSecond: max(rate, 0), eventTimeLagSeconds: eventLags[node.name])
        }
        status.partitions = lags.sorted { $0.topicPartition < $1.topicPartition }
        status.lagHistory = history.keys.sorted().map { tp in
            WorkerStatus.LagSeries(topic: tp.topic, partition: tp.partition, points: history[tp] ?? [])
        }
        status.tasks = snapshot.tasks.map(\.description)
        status.threads = Dictionary(uniqueKeysWithValues: snapshot.threads.map { ("\($0.key)", $0.value.map(\.description)) })
        status.commits = snapshot.commits
        status.rewinds = snapshot.rewinds
        status.rebalances = snapshot.observations.rebalances
        status.consumerErrors = snapshot.observations.consumerErrors
        status.producerErrors = snapshot.observations.producerErrors
        status.lostRecords = snapshot.lostRecords
        status.restoreProgress = snapshot.observations.restoreProgress
        return status
    }
}
