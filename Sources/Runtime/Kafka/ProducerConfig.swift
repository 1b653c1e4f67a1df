/// A producer's settings.
public struct ProducerConfig: Sendable {
    /// Where keyed records go when no partition is given.
    public struct Partitioner: Sendable, Hashable {
        fileprivate let name: String
        /// murmur2 of the key, as Kafka's Java client; records without a key go to a random partition.
        /// Sluice's default, so that its records co-partition with Java and Kafka Streams producers.
        public static let murmur2Random = Partitioner(name: "murmur2_random")
        /// CRC32 of the key (librdkafka's own default); does not match the Java client.
        public static let consistentRandom = Partitioner(name: "consistent_random")
        /// A random partition for every record.
        public static let random = Partitioner(name: "random")
    }

    public var client: KafkaConfig
    /// Idempotent delivery (no duplicates or reordering on retries). Default: `true`.
    public var idempotent: Bool
    /// Turns on the transactional API when set (DESIGN.md §3, exactly-once). Default: `nil`.
    public var transactionalID: String?
    /// Time to wait for more records before sending a batch (`linger.ms`). Default: 5 ms.
    public var linger: Duration
    /// Default: `.murmur2Random`.
    public var partitioner: Partitioner
    /// How long records without a key stick to one partition before the next is picked
    /// (`sticky.partitioning.linger.ms`). Default: `nil`, librdkafka's twice `linger`.
    public var stickyPartitioningLinger: Duration?
    /// How long a record may wait for acknowledgement before its delivery fails (`message.timeout.ms`).
    /// Default: 5 minutes, long enough to wait out a broker restart.
    public var deliveryTimeout: Duration
    /// Bytes of records queued in the producer before `send` waits (`queue.buffering.max.kbytes`):
    /// the bound on a producer's memory. Default: 32 MiB.
    public var bufferBytes: Int
    /// How long a transaction may stay open before the coordinator aborts it
    /// (`transaction.timeout.ms`); a transactional producer's delivery timeout is capped by it.
    /// Default: 60 s.
    public var transactionTimeout: Duration

    public init(
        client: KafkaConfig = KafkaConfig(), idempotent: Bool = true, transactionalID: String? = nil,
        linger: Duration = .milliseconds(5), partitioner: Partitioner = .murmur2Random, stickyPartitioningLinger: Duration? = nil,
        deliveryTimeout: Duration = .seconds(300), transactionTimeout: Duration = .seconds(60), bufferBytes: Int = 32 << 20
    ) {
        self.client = client
        self.idempotent = idempotent
        self.transactionalID = transactionalID
        self.linger = linger
        self.partitioner = partitioner
        self.stickyPartitioningLinger = stickyPartitioningLinger
        self.deliveryTimeout = deliveryTimeout
        self.transactionTimeout = transactionTimeout
        self.bufferBytes = bufferBytes
    }

    var librdkafkaProperties: [(String, String)] {
        var p = client.baseProperties
        p.append(("enable.idempotence", idempotent ? "true" : "false"))
        p.append(("linger.ms", String(linger.milliseconds)))
        p.append(("partitioner", partitioner.name))
        if let stickyPartitioningLinger { p.append(("sticky.partitioning.linger.ms", String(stickyPartitioningLinger.milliseconds))) }
        p.append(("queue.buffering.max.kbytes", String(max(bufferBytes / 1024, 1))))
        let delivery = transactionalID == nil ? deliveryTimeout : min(deliveryTimeout, transactionTimeout)
        p.append(("message.timeout.ms", String(delivery.milliseconds)))
        // Only failures need a callback; success is known when flush returns with nothing in flight.
        p.append(("delivery.report.only.error", "true"))
        if let transactionalID {
            p.append(("transactional.id", transactionalID))
            p.append(("transaction.timeout.ms", String(transactionTimeout.milliseconds)))
        }
        p.append(contentsOf: client.properties.sorted { $0.key < $1.key })
        return p
    }
}
