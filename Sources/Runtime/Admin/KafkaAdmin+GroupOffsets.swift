internal import CRdKafka

extension KafkaAdmin {
    /// The offsets `group` has committed for `partitions` (OffsetFetch through the admin API);
    /// partitions without a committed offset are absent. Works with or without live members.
    public func committedOffsets(
        group: String, partitions: [TopicPartition], timeout: Duration? = nil
    ) throws(KafkaError) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let list = RDKafkaTopicPartitionList(Set(partitions).sorted())
        guard let request = rd_kafka_ListConsumerGroupOffsets_new(group, list.pointer) else {
            throw KafkaError(.admin, reason: "ListConsumerGroupOffsets \(group): cannot build the request")
        }
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
        let offsets = try client.adminRequest(
            RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, "ListConsumerGroupOffsets \(group)",
            timeout: timeout ?? config.requestTimeout,
            submit: { options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_ListConsumerGroupOffsets(client.handle, &requests, 1, options, queue)
            },
            read: { (event) throws(KafkaError) in
                var count = 0
                let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
                    rd_kafka_event_ListConsumerGroupOffsets_result(event), &count)
                return try groupResultOffsets(
                    UnsafeMutablePointer(mutating: groups), count: count, context: "committed offsets of \(group)")
            })
        var result: [TopicPartition: Int64] = [:]
        for o in offsets { if let offset = o.offset { result[o.topicPartition] = offset } }
        return result
    }

    /// Sets `group`'s committed offsets, as `kafka-consumer-groups --reset-offsets` does.
    ///
    /// On Kafka this is AlterConsumerGroupOffsets, which the broker refuses while the group has
    /// members. The embedded broker accepts commits only from members once a group has existed
    /// (librdkafka 2.0.2's mock answers others `UNKNOWN_MEMBER_ID`), so there this process joins
    /// the group, waits until it is assigned every partition (the proof that nobody else is in the
    /// group) and commits as its member.
    /// - Parameter progress: told what is happening (joining takes a few seconds on the embedded broker).
    public func commitOffsets(
        group: String, _ offsets: [TopicPartitionOffset], timeout: Duration? = nil,
        progress: (String) -> Void = { _ in }
    ) throws(KafkaError) {
        let wanted = offsets.filter { $0.offset != nil }
        guard !wanted.isEmpty else { return }
        let timeout = timeout ?? config.requestTimeout
        if backend == .kafka {
            try alterGroupOffsets(group: group, wanted, timeout: timeout)
        } else {
            try GroupMemberCommit(config: config, group: group, logger: logger)
                .commit(wanted, timeout: timeout + .seconds(20), progress: progress)
        }
    }

    private func alterGroupOffsets(group: String, _ offsets: [TopicPartitionOffset], timeout: Duration) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        guard let request = rd_kafka_AlterConsumerGroupOffsets_new(group, list.pointer) else {
            throw KafkaError(.admin, reason: "AlterConsumerGroupOffsets \(group): cannot build the request")
        }
        defer { rd_kafka_AlterConsumerGroupOffsets_destroy(request) }
        _ = try client.adminRequest(
            RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, "AlterConsumerGroupOffsets \(group)", timeout: timeout,
            submit: { options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_AlterConsumerGroupOffsets(client.handle, &requests, 1, options, queue)
            },
            read: { (event) throws(KafkaError) in
                var count = 0
                let groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
                    rd_kafka_event_AlterConsumerGroupOffsets_result(event), &count)
                return try groupResultOffsets(
                    UnsafeMutablePointer(mutating: groups), count: count, context: "commit offsets of \(group)")
            })
    }
}
