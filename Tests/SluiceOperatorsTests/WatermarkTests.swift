@testable import SluiceOperators
import SluiceTopology
import Testing

/// Stream time through repartition topics in a worker: the writers' watermarks move it, not the
/// records, whose writers may be hours of event time apart.
@Suite("Watermarks through repartition topics")
struct WatermarkTests {
    static let app = "wm"
    static let repartition = "wm-by-key-repartition"

    /// `in` (2 partitions, so 2 writers) → repartition → count per 10 s window, final results
    /// (suppressed, or emitted by the aggregation as windows close).
    static func plan(_ emit: EmitStrategy = .onWindowUpdate) throws -> TopologyPlan {
        let windowed = Stream("in", key: .string, value: .string)
            .repartition(named: "by-key")
            .groupByKey().windowedBy(.tumbling(.seconds(10)))
        let final =
            emit == .onWindowClose
            ? windowed.emitStrategy(.onWindowClose).count(named: "counts")
            : windowed.count(named: "counts").suppress(.untilWindowCloses, named: "final")
        return try TopologyPlan(applicationID: app, pipelines: [final.toStream().to("out", key: .windowed(.string), value: .int64)])
    }

    static let partitions = PartitionCounts(topics: ["in": 2, repartition: 1, "out": 1], subtopologyWidths: [2, 1])

    @Test(arguments: [EmitStrategy.onWindowUpdate, .onWindowClose])
    func aWriterFarAheadMakesNoOtherWritersRecordsLate(_ emit: EmitStrategy) throws {
        let collector = SentRecords()
        let task = try StreamTask(
            id: TaskID(subtopology: 1, partition: 0), plan: Self.plan(emit), collector: collector,
            stores: { _ in InMemoryBytesStore() }, partitions: Self.partitions, wallClock: { 0 })
        #expect(task.context.followsWatermarks)
        // Writer 0 read its partition an hour ahead of writer 1.
        try feed(task, key: "a", at: 3_600_000)
        try feed(task, key: "b", at: 1_000)
        try feed(task, key: "b", at: 2_000)
        #expect(task.context.streamTime == -1, "records of a repartition topic do not move stream time")
        #expect(collector.records(to: "wm-dlq").isEmpty, "nothing is late")

        // Writer 0 reports; writer 1 has not yet: no window may close.
        try feed(task, WatermarkMarker(writer: 0, writers: 2, time: 3_600_000))
        #expect(task.context.streamTime == -1)
        #expect(collector.records(to: "out").isEmpty)

        // Writer 1 reports 25 s: the windows ending by then close, and only they.
        try feed(task, WatermarkMarker(writer: 1, writers: 2, time: 25_000))
        #expect(task.context.streamTime == 25_000)
        let out = collector.records(to: "out")
        #expect(out.count == 1, "b's window [0, 10 s) closed with its two records; a's is an hour ahead")
        #expect(out.first?.value == Array(withUnsafeBytes(of: Int64(2).bigEndian) { Array($0) }))

        // A report from the past does not move time back.
        try feed(task, WatermarkMarker(writer: 1, writers: 2, time: 5_000))
        #expect(task.context.streamTime == 25_000)
        #expect(task.context.counts.first { $0.node.name.hasSuffix("repartition-source") }?.received == 3, "markers are not records")
    }

    @Test func idleWritersDoNotHoldTimeBack() throws {
        let collector = SentRecords()
        let task = try StreamTask(
            id: TaskID(subtopology: 1, partition: 0), plan: Self.plan(), collector: collector,
            stores: { _ in InMemoryBytesStore() }, partitions: Self.partitions, wallClock: { 0 })
        try feed(task, key: "a", at: 1_000)
        try feed(task, WatermarkMarker(writer: 1, writers: 2, time: -1))
        #expect(task.context.streamTime == -1, "writer 0 has not reported")
        try feed(task, WatermarkMarker(writer: 0, writers: 2, time: 30_000))
        #expect(task.context.streamTime == 30_000, "writer 1 is idle: writer 0 alone sets the time")
        #expect(collector.records(to: "out").count == 1)
    }

    @Test func writersSendTheirStreamTimeToEveryPartitionAtCommits() throws {
        let partitions = PartitionCounts(topics: ["in": 2, Self.repartition: 3, "out": 1], subtopologyWidths: [2, 3])
        let collector = SentRecords()
        let clock = TestClock()
        let task = try StreamTask(
            id: TaskID(subtopology: 0, partition: 1), plan: Self.plan(), collector: collector,
            stores: { _ in InMemoryBytesStore() }, partitions: partitions, wallClock: { clock.now })
        try task.commitState(timestamp: 0)
        #expect(collector.markers.isEmpty, "no record yet, and not idle for long enough to say so")
        clock.now = WatermarkSender.idleAfter
        try task.commitState(timestamp: 0)
        #expect(collector.markers.map(\.marker) == Array(repeating: WatermarkMarker(writer: 1, writers: 2, time: -1), count: 3))
        #expect(collector.markers.map(\.partition) == [0, 1, 2])

        try feed(task, key: "a", topic: "in", partition: 1, at: 7_000)
        try task.commitState(timestamp: 0)
        #expect(collector.markers.count == 3, "moved, but less than a second after the last report")
        clock.now += WatermarkSender.interval
        try task.commitState(timestamp: 0)
        #expect(collector.markers.suffix(3).map(\.marker.time) == [7_000, 7_000, 7_000])
        clock.now += WatermarkSender.interval
        try task.commitState(timestamp: 0)
        #expect(collector.markers.count == 6, "unchanged: only the heartbeat repeats it")
        clock.now += WatermarkSender.heartbeat
        try task.commitState(timestamp: 0)
        #expect(collector.markers.count == 9)
    }

    @Test func theTestDriversTasksFollowTheirRecords() throws {
        let task = try StreamTask(
            id: TaskID(subtopology: 1, partition: 0), plan: Self.plan(), collector: SentRecords(),
            stores: { _ in InMemoryBytesStore() }, wallClock: { 0 })
        #expect(!task.context.followsWatermarks)
        try feed(task, key: "a", at: 5_000)
        #expect(task.context.streamTime == 5_000)
    }

    @Test func markersRoundTripAndRefuseWhatIsNotOne() {
        let marker = WatermarkMarker(writer: 3, writers: 64, time: 1_436_918_446_840)
        let raw = RawRecord(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil, headers: marker.headers)
        #expect(WatermarkMarker(raw) == marker)
        let value: [UInt8] = [1]
        value.withUnsafeBytes { bytes in
            let withValue = RawRecord(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: bytes, headers: marker.headers)
            #expect(WatermarkMarker(withValue) == nil)
        }
        let bad = RawRecord(
            topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil,
            headers: RecordHeaders([.init(name: WatermarkMarker.header, value: [1, 2, 3])]))
        #expect(WatermarkMarker(bad) == nil)
        // A writer outside its count would index past the reader's writers.
        let outside = WatermarkMarker(writer: 64, writers: 64, time: 0)
        let raw2 = RawRecord(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil, headers: outside.headers)
        #expect(WatermarkMarker(raw2) == nil)
        #expect(WatermarkMarker(RawRecord(topic: "t", partition: 0, offset: 0, timestamp: 0, key: nil, value: nil)) == nil)
    }

    private func feed(_ task: StreamTask, key: String, topic: String = repartition, partition: Int32 = 0, at time: Int64) throws {
        let k = Array(key.utf8)
        let v = Array("v".utf8)
        let ok = k.withUnsafeBytes { kb in
            v.withUnsafeBytes { vb in
                task.process(RawRecord(topic: topic, partition: partition, offset: 0, timestamp: time, key: kb, value: vb))
            }
        }
        #expect(ok)
    }

    private func feed(_ task: StreamTask, _ marker: WatermarkMarker) throws {
        #expect(task.process(RawRecord(topic: Self.repartition, partition: 0, offset: 0, timestamp: 0, key: nil, value: nil, headers: marker.headers)))
    }
}

private final class TestClock: @unchecked Sendable {
    var now: Int64 = 0
}

extension SentRecords {
    var markers: [(partition: Int32, marker: WatermarkMarker)] {
        records(to: WatermarkTests.repartition).compactMap { s in
            WatermarkMarker(RawRecord(topic: s.topic, partition: 0, offset: 0, timestamp: 0, key: nil, value: nil, headers: s.headers))
                .map { (s.partition ?? -1, $0) }
        }
    }
}
