internal import CRdKafka

/// Restarts fetching that librdkafka 2.0.2 paused, as soon as the application has made room.
///
/// librdkafka stops fetching once the consumer queue holds `queued.min.messages`, and decides to
/// fetch again only when the partition leader's broker thread next wakes: up to a second later
/// when nothing else happens on that connection. A consumer slower than its broker therefore idled
/// most of every second (measured here: a million records took 6 s instead of 1.8). librdkafka
/// 2.1.0 added `fetch.queue.backoff.ms` for this; Debian 12 ships 2.0.2, which offers no public
/// wake-up. Any request to a leader wakes its thread, so once the queue has drained to half the
/// threshold, this asks one partition per leader for its watermarks (a round trip each, at most
/// every 20 ms). It waits for the answers: the asynchronous forms of these calls leave librdkafka
/// writing into freed memory when they time out (seen here as heap corruption).
final class FetchWaker {
    private let client: RDKafkaClient
    private let threshold: Int32
    /// One assigned partition per leader broker; `nil` until the next wake reads the assignment.
    private var representatives: [TopicPartition]?
    private var lastWake = ContinuousClock.now

    init(client: RDKafkaClient, threshold: Int) {
        self.client = client
        self.threshold = Int32(clamping: threshold)
    }

    /// The assignment changed: the next wake reads it anew.
    func forgetAssignment() { representatives = nil }

    func wakeIfStalled(queue: OpaquePointer) {
        guard rd_kafka_queue_length(queue) < threshold / 2 else { return }
        let now = ContinuousClock.now
        guard now - lastWake >= .milliseconds(20) else { return }
        lastWake = now
        if representatives == nil { representatives = leaders() }
        var low: Int64 = 0
        var high: Int64 = 0
        for tp in representatives ?? [] {
            _ = rd_kafka_query_watermark_offsets(client.handle, tp.topic, tp.partition, &low, &high, 1000)
        }
    }

    /// One assigned partition led by each broker.
    private func leaders() -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        let assigned = RDKafkaTopicPartitionList(adopting: list).partitions
        guard !assigned.isEmpty else { return [] }
        let topics = Set(assigned.map(\.topic))
        guard let metadata = try? client.topicMetadata(timeout: .seconds(5)) else { return [assigned[0]] }
        var leaderOf: [TopicPartition: Int32] = [:]
        for t in metadata where topics.contains(t.name) {
            for p in t.partitions { leaderOf[TopicPartition(t.name, p.id)] = p.leader }
        }
        var chosen: [Int32: TopicPartition] = [:]
        for tp in assigned.sorted() where chosen[leaderOf[tp] ?? -1] == nil { chosen[leaderOf[tp] ?? -1] = tp }
        return Array(chosen.values).sorted()
    }
}
