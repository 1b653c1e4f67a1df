import Logging

/// Commits a group's offsets by joining the group: the embedded broker's way to reset offsets
/// (see `KafkaAdmin.commitOffsets`). Joining is also a check: a member alone in the group is
/// assigned every partition of its topics, so a partition missing from the assignment means
/// another member is alive, and nothing is committed then.
struct GroupMemberCommit {
    let config: KafkaConfig
    let group: String
    let logger: Logger

    func commit(
        _ offsets: [TopicPartitionOffset], timeout: Duration, progress: (String) -> Void
    ) throws(KafkaError) {
        let consumer = try KafkaConsumer(
            config: ConsumerConfig(
                client: config, groupID: group, isolation: .readUncommitted, offsetReset: .earliest,
                sessionTimeout: .seconds(6), heartbeatInterval: .milliseconds(500)),
            logger: logger)
        let wanted = Set(offsets.map(\.topicPartition))
        let topics = Set(wanted.map(\.topic)).sorted()
        progress("joining group \(group) to commit \(wanted.count) offsets (the embedded broker takes commits only from members)")
        try consumer.subscribe(topics)
        let deadline = ContinuousClock.now + timeout
        var assigned = Set<TopicPartition>()
        var told = ContinuousClock.now
        while !wanted.isSubset(of: assigned) {
            if ContinuousClock.now - told >= .seconds(1) {
                progress("  waiting for the group to assign this member its partitions: \(assigned.count) of \(wanted.count) so far")
                told = .now
            }
            if ContinuousClock.now > deadline {
                try? consumer.close()
                throw KafkaError(
                    .offsets,
                    reason: "group \(group): assigned \(assigned.count) of \(wanted.count) partitions after \(timeout); "
                        + "another member holds the rest (is a worker still running?)")
            }
            do {
                // Records fetched meanwhile are dropped: nothing is committed but `offsets`.
                try consumer.poll(maxRecords: 100, timeout: .milliseconds(200)) { _ in }
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(.consumer, reason: "\(error)")
            }
            assigned = Set(try consumer.assignment())
        }
        try consumer.commit(offsets)
        progress("committed \(offsets.count) offsets as the group's only member; leaving the group")
        try consumer.close()
    }
}
