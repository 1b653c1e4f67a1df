import SluiceOperators
import SluiceTesting
import SluiceTopology
import Testing

@Suite("Repartitioning through an internal topic")
struct RepartitionTests {
    @Test func rekeyedRecordsLandOnThePartitionOfTheirNewKey() throws {
        let d = try driver(partitions: ["in": 4, "out": 4]) {
            $0.selectKey { _, e in e.type }.repartition(named: "by-type").mapValues(named: "after") { e in e }.to("out")
        }
        let types = ["click", "view", "scroll", "buy", "click", "view"]
        for (i, t) in types.enumerated() { try d.events.pipe(key: "user-\(i)", value: .e("user-\(i)", t)) }
        let internalTopic = d.output("test-app-by-type-repartition", key: .string, value: .json(Event.self))
        let repartitioned = try internalTopic.readRecords()
        #expect(repartitioned.count == types.count)
        for r in repartitioned {
            #expect(r.partition == KafkaPartitioner.partition(forKey: Array(r.key.utf8), partitions: 4))
        }
        #expect(try d.out().readRecords().map(\.key).sorted() == types.sorted())
        // The downstream sub-topology ran one task per partition that received a key.
        let downstreamTasks = Set(d.taskIDs.filter { $0.subtopology == 1 }.map(\.partition))
        #expect(downstreamTasks == Set(repartitioned.map(\.partition)))
        #expect(d.counts(of: "after")?.received == types.count)
    }
}
