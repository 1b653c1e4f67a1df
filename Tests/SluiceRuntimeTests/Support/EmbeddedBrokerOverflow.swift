import SluiceRuntime

extension KafkaProducer {
    /// Writes 8 MiB to one partition of the embedded broker, which keeps about 5 MiB per partition
    /// (DESIGN.md §4): what the partition held before is evicted, and its low watermark moves.
    func overflow(_ topic: String, partition: Int32) throws {
        let value = [UInt8](repeating: 7, count: 64 * 1024)
        for _ in 0..<128 { try send(topic: topic, partition: partition, key: nil, value: value) }
        try flush(timeout: .seconds(30))
    }
}
