import SluiceTopology
import Testing

@Suite struct Murmur2Tests {
    /// Kafka's `UtilsTest.testMurmur2`.
    @Test(arguments: [
        ("21", -973_932_308), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ] as [(String, Int32)])
    func matchesTheJavaClient(key: String, hash: Int32) {
        #expect(KafkaPartitioner.murmur2(Array(key.utf8)) == hash)
        #expect(KafkaPartitioner.partition(forKey: Array(key.utf8), partitions: 10) == Int32((Int(hash) & 0x7fff_ffff) % 10))
    }
}
