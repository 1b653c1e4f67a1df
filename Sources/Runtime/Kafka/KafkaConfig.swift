/// Settings every Kafka client shares.
///
/// Typed settings cover what Sluice relies on; `properties` passes any other librdkafka property
/// through unchanged and is applied last, so it overrides a typed setting of the same name.
public struct KafkaConfig: Sendable {
    /// Comma-separated `host:port` list. Default: `localhost:9092`.
    public var bootstrapServers: String
    /// `client.id`, visible in broker logs. Default: `sluice`.
    public var clientID: String
    /// How long a client waits for cluster metadata or a broker before an operation fails. Default: 10 s.
    public var requestTimeout: Duration
    /// Any librdkafka property (`-X key=value` on the command line). Default: empty.
    public var properties: [String: String]

    public init(
        bootstrapServers: String = "localhost:9092", clientID: String = "sluice",
        requestTimeout: Duration = .seconds(10), properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.requestTimeout = requestTimeout
        self.properties = properties
    }

    var baseProperties: [(String, String)] {
        [("bootstrap.servers", bootstrapServers), ("client.id", clientID)]
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, clamped to `Int32` as librdkafka's timeouts are `int`.
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
