/// A worker's failure: why it stopped, or why it could not start.
public struct StreamsError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        /// A setting is invalid.
        public static let configuration = Code(name: "configuration")
        /// A topic the topology needs is missing or has the wrong partition count.
        public static let topics = Code(name: "topics")
        /// A stream thread hit an error it cannot recover from.
        public static let fatal = Code(name: "fatal")
        public var description: String { name }
    }

    public let code: Code
    public let reason: String
    /// The Kafka error behind this one, if any.
    public let underlying: KafkaError?

    public init(_ code: Code, _ reason: String, underlying: KafkaError? = nil) {
        self.code = code
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String {
        "\(code): \(reason)" + (underlying.map { " (\($0))" } ?? "")
    }
}
