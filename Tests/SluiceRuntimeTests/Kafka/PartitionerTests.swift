import SluiceRuntime
import SluiceTopology
import Testing

/// Kafka's `UtilsTest.testMurmur2` vectors: the hash the Java client computes for each key.
let javaMurmur2Vectors: [(String, Int32)] = [
    ("21", -973_932_308),
    ("foobar", -790_332_482),
    ("a-little-bit-long-string", -985_981_536),
    ("a-little-bit-longer-string", -1_486_304_829),
    ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
    ("abc", 479_470_107),
]

@Suite("Keyed records land where the Java client puts them")
struct PartitionerTests {
    @Test(arguments: [3, 8, 12])
    func librdkafkaPlacesKeysLikeJava(partitions: Int) async throws {
        let received = try await blocking {
            let broker = try EmbeddedBroker()
            try broker.createTopic("keyed", partitions: partitions)
            let producer = try KafkaProducer(config: ProducerConfig(client: testClient(broker.bootstrapServers)))
            for (key, _) in javaMurmur2Vectors {
                for i in 0..<3 { try producer.send(topic: "keyed", key: Array(key.utf8), value: Array("\(i)".utf8)) }
            }
            try producer.flush(timeout: .seconds(10))
            let consumer = try KafkaConsumer(config: testConsumer(broker.bootstrapServers, group: "g"))
            try consumer.assign((0..<partitions).map { TopicPartitionOffset(TopicPartition("keyed", Int32($0)), offset: nil) })
            return try consumer.drain(count: javaMurmur2Vectors.count * 3)
        }
        #expect(received.count == javaMurmur2Vectors.count * 3)
        for (key, hash) in javaMurmur2Vectors {
            // The Java client: toPositive(murmur2(key)) % numPartitions, from the vector itself.
            let expected = Int32((Int(hash) & 0x7fff_ffff) % partitions)
            let placed = Set(received.filter { $0.keyString == key }.map(\.partition))
            #expect(placed == [expected], "key \(key)")
        }
    }
}
