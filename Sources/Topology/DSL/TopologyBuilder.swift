/// Collects a topology's pipelines. Every statement of a `body` must end in a sink (`to`,
/// `foreach`, a `split` with branches); `let` declarations name streams to share between them.
@resultBuilder
public enum TopologyBuilder {
    public static func buildExpression(_ pipeline: Pipeline) -> [Pipeline] { [pipeline] }

    public static func buildExpression(_ pipelines: [Pipeline]) -> [Pipeline] { pipelines }

    @available(*, unavailable, message: "a pipeline must end in a sink: .to(...), .foreach { } or .split { ... }")
    public static func buildExpression<K, V>(_ stream: Stream<K, V>) -> [Pipeline] { [] }

    public static func buildBlock(_ parts: [Pipeline]...) -> [Pipeline] { parts.flatMap { $0 } }

    public static func buildOptional(_ part: [Pipeline]?) -> [Pipeline] { part ?? [] }

    public static func buildEither(first part: [Pipeline]) -> [Pipeline] { part }

    public static func buildEither(second part: [Pipeline]) -> [Pipeline] { part }

    public static func buildArray(_ parts: [[Pipeline]]) -> [Pipeline] { parts.flatMap { $0 } }

    public static func buildFinalResult(_ parts: [Pipeline]) -> Pipelines { Pipelines(parts) }
}

/// A topology's body: its pipelines, in declaration order.
public protocol Topology: Sendable {
    var pipelines: [Pipeline] { get }
}

/// The pipelines a `TopologyBuilder` body declares.
public struct Pipelines: Topology {
    public let pipelines: [Pipeline]
    public init(_ pipelines: [Pipeline]) { self.pipelines = pipelines }
}

/// A topology users deploy: one Swift type per file in `topologies/`.
///
/// ```swift
/// struct CleanClicks: TopologyDefinition {
///     static let applicationID = "clean-clicks"
///     @TopologyBuilder var body: some Topology {
///         Stream("raw-clicks", key: .string, value: .json(RawClick.self))
///             .filter { _, click in click.userID != nil }
///             .to("clicks", value: .json())
///     }
/// }
/// ```
public protocol TopologyDefinition: Sendable {
    associatedtype Body: Topology
    /// The application id: the consumer group, and the prefix of internal topics and state.
    static var applicationID: String { get }
    /// One line saying what the topology does, for `sluice list`.
    static var summary: String { get }
    /// Sample input for `sluice run --generate`, if the topology offers some.
    static var samples: SampleSource? { get }
    @TopologyBuilder var body: Body { get }
    init()
}

extension TopologyDefinition {
    public static var summary: String { "" }
    public static var samples: SampleSource? { nil }
}
