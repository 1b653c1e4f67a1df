import Foundation
public import Logging
public import SluiceOperators
import Synchronization

/// The workers of an application as their latest heartbeats tell, kept current by the worker's
/// monitor thread, which tails the registry topic (`RegistryTail`). Interactive queries read it to
/// name the worker that owns a key; it never blocks a reader.
public final class PeerDirectory: Sendable {
    private let latest = Mutex<[String: WorkerHeartbeat]>([:])

    public init() {}

    /// Applies heartbeats read from the registry: a `nil` says the worker left.
    func apply(_ beats: [String: WorkerHeartbeat?]) {
        latest.withLock { all in
            for (instance, beat) in beats { all[instance] = beat }
        }
    }

    /// Every worker heard from that has not said it left, live or not, by instance id.
    public var workers: [WorkerHeartbeat] {
        latest.withLock { Array($0.values) }.sorted { $0.instanceID < $1.instanceID }
    }

    /// The live worker, other than `instanceID`, whose newest heartbeat says it holds `task`;
    /// running beats restoring, and a newer heartbeat beats an older one (a worker that died
    /// still claims its tasks until it ages out).
    public func owner(of task: TaskID, excluding instanceID: String, now: Int64? = nil) -> (worker: WorkerHeartbeat, restoring: Bool)? {
        let now = now ?? epochMillis()
        let name = task.description
        var best: (worker: WorkerHeartbeat, restoring: Bool)?
        for w in latest.withLock({ Array($0.values) }) where w.instanceID != instanceID && w.isLive(at: now) {
            let claim: (WorkerHeartbeat, Bool)? =
                w.tasks.contains(name) ? (w, false) : (w.restoringTasks ?? []).contains(name) ? (w, true) : nil
            guard let claim else { continue }
            if let b = best, b.restoring == claim.1 ? b.worker.heartbeatAt >= claim.0.heartbeatAt : !b.restoring { continue }
            best = claim
        }
        return best
    }
}

/// Reads the registry topic from its recent tail onwards and feeds a `PeerDirectory`: one consumer
/// outside any group, polled without waiting by the worker's monitor thread.
/// - Important: owned by the monitor thread.
final class RegistryTail {
    private let consumer: KafkaConsumer
    private let decoder = JSONDecoder()
    private let logger: Logger

    init(applicationID: String, client: KafkaConfig, logger: Logger) throws(KafkaError) {
        consumer = try KafkaConsumer(
            config: ConsumerConfig(
                client: client, groupID: "_sluice-registry-\(UUID().uuidString)", isolation: .readCommitted, offsetReset: .earliest),
            logger: logger)
        self.logger = logger
        let tp = TopicPartition(WorkerRegistry.topic(for: applicationID), 0)
        let marks = try consumer.watermarks(tp, timeout: client.requestTimeout)
        try consumer.assign([TopicPartitionOffset(tp, offset: max(marks.low, marks.high - WorkerRegistry.tailRecords))])
    }

    deinit { try? consumer.close() }

    /// Applies whatever heartbeats arrived since the last call to `directory`.
    func poll(into directory: PeerDirectory) throws(KafkaError) {
        var beats: [String: WorkerHeartbeat?] = [:]
        do {
            // Several polls: a fresh tail may hold thousands of heartbeats.
            for _ in 0..<10 {
                let count = try consumer.poll(maxRecords: 5_000, timeout: .zero) { batch in
                    for i in 0..<batch.count {
                        let r = batch[i]
                        guard let key = r.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                        guard let value = r.value, value.count > 0 else {
                            beats[key] = .some(nil)
                            continue
                        }
                        if let beat = try? decoder.decode(WorkerHeartbeat.self, from: Data(value)) { beats[key] = beat }
                    }
                    return batch.count
                }
                if count == 0 { break }
            }
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.consumer, reason: "\(error)")
        }
        if !beats.isEmpty { directory.apply(beats) }
    }
}

@available(*, unavailable)
extension RegistryTail: Sendable {}
