import SluiceTopology
import Testing

private struct Click: Codable, Sendable {
    var user: String
    var page: String
}

@Suite("Planning: names, sub-topologies, validation, describe")
struct TopologyPlanTests {
    @Test func namesDeriveFromStructureSoEditingOnePipelineRenamesNothingElse() throws {
        func plan(extraStepInFirst: Bool) throws -> [String] {
            let clicks = Stream("clicks", key: .string, value: .json(Click.self))
            var first = clicks.filter { _, c in !c.page.isEmpty }
            if extraStepInFirst { first = first.peek { _, _ in } }
            let p = try TopologyPlan(
                applicationID: "app",
                pipelines: [
                    first.to("a"),
                    clicks.mapValues { c in c.page }.filter { _, p in p.count > 1 }.to("b", value: .string),
                    Stream("views", key: .string, value: .string).to("c"),
                ])
            return p.subtopologies.flatMap(\.nodes).map(\.name)
        }
        let before = try plan(extraStepInFirst: false)
        let after = try plan(extraStepInFirst: true)
        #expect(before.contains("clicks-filter-1") && before.contains("clicks-mapValues-1") && before.contains("views-to-c"))
        let untouched = before.filter { !$0.hasSuffix("-to-a") }
        #expect(untouched.allSatisfy(after.contains), "before: \(before)\nafter: \(after)")
        #expect(after.contains("clicks-peek-2"))
    }

    @Test func repartitionCutsTheTopologyAndNamesItsTopic() throws {
        let clicks = Stream("clicks", key: .string, value: .json(Click.self))
        let plan = try TopologyPlan(
            applicationID: "views",
            pipelines: [clicks.selectKey { _, c in c.page }.repartition(named: "by-page", partitions: 6).to("per-page")])
        #expect(plan.subtopologies.count == 2)
        #expect(plan.subtopologies[0].sourceTopics == ["clicks"])
        #expect(plan.subtopologies[0].sinkTopics == ["views-by-page-repartition"])
        #expect(plan.subtopologies[1].sourceTopics == ["views-by-page-repartition"])
        #expect(plan.internalTopics.map(\.name) == ["views-by-page-repartition"])
        #expect(plan.internalTopics.first?.partitions == 6 && plan.internalTopics.first?.feedingSubtopology == 0)
        #expect(plan.inputTopics == ["clicks"])
        #expect(plan.outputTopics == ["per-page"])
    }

    @Test func everyMistakeIsReportedAtOnceNamingTheNode() {
        let clicks = Stream("clicks", key: .string, value: .json(Click.self))
        let again = Stream("clicks", key: .string, value: .string)
        let error = #expect(throws: TopologyError.self) {
            try TopologyPlan(
                applicationID: "bad app!",
                pipelines: [
                    clicks.filter(named: "dup") { _, _ in true }.to("a"),
                    clicks.mapValues(named: "dup") { c in c.user.count }.to("b"),
                    again.to("c"),
                ])
        }
        let problems = error?.problems ?? []
        #expect(problems.contains { $0.contains("application id \"bad app!\"") })
        #expect(problems.contains { $0.contains("\"dup\" is given to 2 nodes") })
        #expect(problems.contains { $0.contains("needs a value serde for Int") && $0.contains("-to-b") }, "\(problems)")
        #expect(problems.contains { $0.contains("topic clicks is read by several sources") })
        #expect(problems.count == 4, "\(problems)")
    }

    @Test func describeFollowsKafkaStreamsLayout() throws {
        let clicks = Stream("clicks", key: .string, value: .json(Click.self))
        let plan = try TopologyPlan(
            applicationID: "app",
            pipelines: [clicks.filter(named: "real") { _, c in !c.user.isEmpty }.mapValues { c in c.page }.to("pages", value: .string)])
        #expect(
            plan.describe() == """
                Topologies:
                   Sub-topology: 0
                    Source: clicks-source (topics: [clicks])
                      --> real
                    Processor: real (stores: [])
                      --> clicks-mapValues-2
                      <-- clicks-source
                    Processor: clicks-mapValues-2 (stores: [])
                      --> clicks-to-pages
                      <-- real
                    Sink: clicks-to-pages (topic: pages)
                      <-- clicks-mapValues-2


                """)
        let mermaid = plan.mermaid()
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        #expect(mermaid.contains("subgraph sub0[\"Sub-topology 0\"]"))
        #expect(mermaid.contains("([\"clicks\"])") && mermaid.contains("([\"pages\"])"))
    }

    @Test func aDefinitionIsPlannedFromItsBody() throws {
        struct Routing: TopologyDefinition {
            static let applicationID = "routing"
            var body: some Topology {
                let events = Stream("events", key: .string, value: .json(Click.self))
                events.split(named: "by-page") {
                    Branch("home", where: { _, c in c.page == "/" }) { $0.to("home") }
                    Branch.otherwise("rest") { $0.to("rest") }
                }
                events.foreach { _, _ in }
            }
        }
        let plan = try TopologyPlan(Routing())
        #expect(plan.outputTopics == ["home", "rest"])
        #expect(plan.subtopologies.count == 1)
        #expect(plan.subtopologies[0].nodes.map(\.name).contains("by-page-home"))
    }
}
