/// Sends a task's stream time to every partition of a repartition topic it writes, at commit
/// steps: when it moved (at most once a second), else every ten seconds, so that a reader that
/// starts over learns every writer's time again without waiting for new input.
///
/// A task that has seen no record yet waits ten seconds before it reports itself idle: its first
/// records may still be on their way, and an idle writer does not hold its readers back.
final class WatermarkSender {
    static let interval: Int64 = 1_000
    static let heartbeat: Int64 = 10_000
    static let idleAfter: Int64 = 10_000

    private let topic: String
    private let partitions: Int
    private let writer: Int32
    private let writers: Int32
    private let openedAt: Int64
    private var sent: (time: Int64, at: Int64)?

    init(topic: String, partitions: Int, writer: Int32, writers: Int, now: Int64) {
        self.topic = topic
        self.partitions = partitions
        self.writer = writer
        self.writers = Int32(writers)
        self.openedAt = now
    }

    func commit(streamTime: Int64, now: Int64, to collector: any RecordCollector) throws {
        if streamTime < 0 && now - openedAt < Self.idleAfter { return }
        if let sent {
            let due = sent.time != streamTime ? Self.interval : Self.heartbeat
            guard now - sent.at >= due else { return }
        }
        let headers = WatermarkMarker(writer: writer, writers: writers, time: max(streamTime, -1)).headers
        for p in 0..<partitions {
            try collector.send(topic: topic, partition: Int32(p), key: nil, value: nil, headers: headers, timestamp: now)
        }
        sent = (streamTime, now)
    }
}
