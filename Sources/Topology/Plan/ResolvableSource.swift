/// What the plan needs of a source without knowing its record types.
protocol ResolvableSource: LogicalNode {
    func resolve(applicationID: String)
    var internalTopicName: String? { get }
    var requestedPartitions: Int? { get }
    var feederNode: LogicalNode? { get }
    var feedingSubtopology: Int? { get }
    var isRepartition: Bool { get }
    var sourceBuilder: @Sendable (TaskBuild) -> any SourceProcessor { get }
}

extension SourceNode: ResolvableSource {
    var internalTopicName: String? { internalTopic == nil ? nil : resolvedTopics.first }
    var requestedPartitions: Int? { partitions }
    var feederNode: LogicalNode? { feeder }
    var feedingSubtopology: Int? { feeder?.subtopology }
    var isRepartition: Bool { repartition }
    var sourceBuilder: @Sendable (TaskBuild) -> any SourceProcessor { { [self] task in buildSource(task) } }
}
