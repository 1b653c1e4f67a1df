/// Kafka's murmur2 hash and default partition choice, as the Java client computes them.
///
/// librdkafka's `murmur2_random` partitioner does the same for records Sluice produces; this copy
/// exists for places without a Kafka client: the TestDriver, and checking where a key lands.
public enum KafkaPartitioner {
    /// Kafka's `Utils.murmur2`: seed 0x9747b28c, little-endian 4-byte blocks, signed result.
    public static func murmur2<Bytes: Collection<UInt8>>(_ data: Bytes) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var i = data.startIndex
        var remaining = length
        while remaining >= 4 {
            let b0 = UInt32(data[i])
            let b1 = UInt32(data[data.index(i, offsetBy: 1)])
            let b2 = UInt32(data[data.index(i, offsetBy: 2)])
            let b3 = UInt32(data[data.index(i, offsetBy: 3)])
            var k = b0 | b1 << 8 | b2 << 16 | b3 << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
            i = data.index(i, offsetBy: 4)
            remaining -= 4
        }
        if remaining > 0 {
            // Java's switch falls through from 3 to 1.
            if remaining == 3 { h ^= UInt32(data[data.index(i, offsetBy: 2)]) << 16 }
            if remaining >= 2 { h ^= UInt32(data[data.index(i, offsetBy: 1)]) << 8 }
            h ^= UInt32(data[i])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition the Java client's default partitioner picks for a keyed record:
    /// `toPositive(murmur2(key)) % partitions`.
    public static func partition<Bytes: Collection<UInt8>>(forKey key: Bytes, partitions: Int) -> Int32 {
        Int32((Int(murmur2(key)) & 0x7fff_ffff) % partitions)
    }
}
