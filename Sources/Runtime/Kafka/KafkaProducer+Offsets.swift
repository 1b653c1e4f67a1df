internal import CRdKafka

extension KafkaProducer {
    /// The end offset (next offset to be written) of each partition, in one request per leader.
    ///
    /// Blocks until every leader answered: librdkafka's calls of this kind write their answers into
    /// the caller's memory, so returning early would leave them writing into freed memory.
    public func endOffsets(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let list = RDKafkaTopicPartitionList(capacity: partitions.count)
        for tp in partitions { list.add(tp, offset: Int64(RD_KAFKA_OFFSET_END)) }
        try rdCheck(.offsets, "end offsets") { rd_kafka_offsets_for_times(client.handle, list.pointer, timeout.milliseconds) }
        if let error = list.firstError(.offsets, context: "end offset of") { throw error }
        var result: [TopicPartition: Int64] = [:]
        for o in list.offsets { if let offset = o.offset { result[o.topicPartition] = offset } }
        return result
    }
}
