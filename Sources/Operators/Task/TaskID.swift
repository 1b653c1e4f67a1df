/// A task: one sub-topology on one partition number, as Kafka Streams' `0_3`.
public struct TaskID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let subtopology: Int
    public let partition: Int32

    public init(subtopology: Int, partition: Int32) {
        self.subtopology = subtopology
        self.partition = partition
    }

    public static func < (a: TaskID, b: TaskID) -> Bool { (a.subtopology, a.partition) < (b.subtopology, b.partition) }
    public var description: String { "\(subtopology)_\(partition)" }
}
