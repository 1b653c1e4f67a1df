import Foundation
import Sluice
import Testing
import Topologies

/// Raw events re-keyed by type through a repartition topic: an application with an internal topic.
struct RekeyedEvents: TopologyDefinition {
    static let applicationID = "rekeyed-events"
    static let internalTopic = "rekeyed-events-by-type-repartition"
    init() {}

    var body: some Topology {
        Stream("rekey-in", key: .string.optional, value: .json(RawEvent.self))
            .selectKey(named: "by-type") { _, e in e.type ?? "none" }
            .repartition(named: "by-type", key: .string)
            .to("rekey-out", key: .string, value: .json())
    }
}

@Suite("Resetting an application with internal topics on the embedded broker")
struct ResetInternalTopicsTests {
    static func produce(_ topic: String, _ range: Range<Int>, bootstrap: String) throws {
        let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)))
        for i in range {
            let (key, value) = SampleEvents.raw.make(i)
            try producer.send(topic: topic, key: key ?? Array("k\(i)".utf8), value: value)
        }
        try producer.flush(timeout: .seconds(30))
    }

    static func run(_ plan: TopologyPlan, on broker: EmbeddedBroker, input count: Int) throws -> WorkerSnapshot {
        let worker = try Worker(plan: plan, config: WorkerConfig(batchSize: 500, commitInterval: .milliseconds(100)))
        try worker.start(embedded: broker)
        // Records the source cannot decode go to the dead-letter topic; the rest pass the repartition topic.
        let done = eventually(timeout: .seconds(40)) {
            let s = worker.snapshot.counts
            return s["rekey-in-source"]?.received == count
                && s["by-type-repartition-source"]?.received == s["by-type-repartition-sink"]?.received
        }
        Thread.sleep(forTimeInterval: 0.5)  // anything more would show up by now
        try worker.stop()
        #expect(done, "the input and the repartition topic were read: \(worker.snapshot.counts.mapValues(\.received))")
        return worker.snapshot
    }

    @Test func internalTopicsMoveToTheirEndSoOldInternalRecordsAreNotProcessedAgain() async throws {
        try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("rekey-in", partitions: 2)
            let plan = try RekeyedEvents.plan()
            let range = 0..<300
            try Self.produce("rekey-in", range, bootstrap: broker.bootstrapServers)
            let first = try Self.run(plan, on: broker, input: range.count)
            let repartitioned = Int64(first.counts["by-type-repartition-sink"]?.received ?? -1)

            // Internal records a crashed run wrote but never read: a reset must not let them through.
            try Self.produce(RekeyedEvents.internalTopic, 1_000..<1_050, bootstrap: broker.bootstrapServers)
            let config = KafkaConfig(bootstrapServers: broker.bootstrapServers)
            var steps: [String] = []
            let outcome = try ApplicationReset(plan: plan, config: config, stateDirectory: "/nonexistent").run { steps.append($0) }
            print("reset of \(RekeyedEvents.applicationID):\n" + (steps + outcome.notes).joined(separator: "\n"))

            #expect(outcome.rewound.map(\.description) == ["rekey-in[0]@0", "rekey-in[1]@0"])
            #expect(outcome.deletedTopics.isEmpty, "the embedded broker cannot delete topics")
            #expect(outcome.notes.contains { $0.contains("cannot delete topics") }, "and the reset says so: \(outcome.notes)")
            let internalPartitions = outcome.skippedToEnd.map(\.topicPartition)
            #expect(Set(internalPartitions.map(\.topic)) == [RekeyedEvents.internalTopic] && internalPartitions.count == 2)
            let admin = try KafkaAdmin.connect(config)
            let ends = try admin.endOffsets(internalPartitions)
            let committed = try admin.committedOffsets(group: RekeyedEvents.applicationID, partitions: internalPartitions + [
                TopicPartition("rekey-in", 0), TopicPartition("rekey-in", 1),
            ])
            // Besides its records, a repartition topic holds its writers' watermarks.
            let total = Int(ends.values.reduce(0, +))
            let reader = try TopicReader(bootstrap: broker.bootstrapServers, topic: RekeyedEvents.internalTopic, partitions: 2)
            #expect(try reader.read(timeout: .seconds(30)) { $0.count >= total })
            let markers = reader.records.filter { $0.key == nil && $0.value == nil && $0.headers[WatermarkMarker.header] != nil }.count
            #expect(total - markers == Int(repartitioned) + 50, "the internal topic holds the first run's records and the stale ones")
            for tp in internalPartitions { #expect(committed[tp] == ends[tp], "\(tp) committed at its end") }
            #expect(committed[TopicPartition("rekey-in", 0)] == 0 && committed[TopicPartition("rekey-in", 1)] == 0)

            // The next run re-reads the input and repartitions it again, but not the 50 stale records.
            let second = try Self.run(plan, on: broker, input: range.count)
            #expect(second.counts["rekey-in-source"]?.received == range.count, "the input is processed again")
            #expect(second.counts["by-type-repartition-source"]?.received == second.counts["by-type-repartition-sink"]?.received,
                "no stale internal record was read")
        }
    }
}
