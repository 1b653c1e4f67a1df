/// What a task knows of the writers of the repartition topics it reads: the stream time each
/// writer last reported (Flink's watermarks, carried through Kafka).
///
/// A repartition topic interleaves the records of every upstream task, each at its own pace: one
/// that reads a backlog a megabyte per partition at a time runs hours of event time ahead of the
/// others. If the records' own timestamps moved the reader's stream time, the slower writers'
/// records would all arrive late. The reader's time is instead the smallest its writers reported:
/// no window closes before every writer has passed it.
struct RepartitionWatermarks {
    /// Per topic, per writer: `.min` until it reports, `-1` while it has no time (idle).
    private var writers: [String: [Int64]]

    init(topics: some Sequence<String>) {
        writers = Dictionary(uniqueKeysWithValues: topics.map { ($0, []) })
    }

    /// Takes a writer's report; a writer's time never goes back (a task that moved reports again
    /// from its new owner, which may start behind).
    mutating func record(_ marker: WatermarkMarker, topic: String) {
        guard var times = writers[topic] else { return }
        writers[topic] = nil  // unique while mutated
        if times.count < Int(marker.writers) { times += Array(repeating: .min, count: Int(marker.writers) - times.count) }
        times[Int(marker.writer)] = max(times[Int(marker.writer)], marker.time)
        writers[topic] = times
    }

    /// The smallest time over every writer of every topic that has one; `nil` while a writer has
    /// not reported yet, or when every writer is idle.
    var time: Int64? {
        var smallest: Int64?
        for times in writers.values {
            // A topic no writer reported to yet does not even say how many writers it has.
            guard !times.isEmpty, !times.contains(.min) else { return nil }
            for t in times where t >= 0 { smallest = min(smallest ?? t, t) }
        }
        return smallest
    }
}
