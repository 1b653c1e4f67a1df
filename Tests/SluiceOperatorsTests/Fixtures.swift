import SluiceTesting
import SluiceTopology

/// A small event for operator tests.
struct Event: Codable, Sendable, Equatable {
    var user: String
    var type: String
    var amount: Int

    static func e(_ user: String, _ type: String = "click", _ amount: Int = 1) -> Event {
        Event(user: user, type: type, amount: amount)
    }
}


/// A driver for the pipelines `build` makes from the `in` topic (keys: strings, values: `Event`).
func driver(
    partitions: [String: Int] = [:], defaultPartitions: Int = 1,
    @TopologyBuilder _ build: (Stream<String, Event>) -> Pipelines
) throws -> TopologyTestDriver {
    let source = Stream("in", key: .string, value: .json(Event.self))
    let plan = try TopologyPlan(applicationID: "test-app", pipelines: build(source).pipelines)
    return try TopologyTestDriver(plan: plan, partitions: partitions, defaultPartitions: defaultPartitions)
}

extension TopologyTestDriver {
    var events: TestInputTopic<String, Event> { input("in", key: .string, value: .json(Event.self)) }
    func out(_ topic: String = "out") -> TestOutputTopic<String, Event> { output(topic, key: .string, value: .json(Event.self)) }
}
