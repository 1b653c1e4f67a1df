import Logging

/// Commits a group's offsets by joining the group: the embedded broker's way to reset offsets
/// (see `KafkaAdmin.commitOffsets`). Joining is also a check: a member alone in the group is
/// assigned every partition of its topics, so a partition missing from the assignment means
/// another member is alive, and nothing is committed then.
///
/// A group whose last member just left is still rebalancing on the mock, which answers a new
/// JoinGroup only when that rebalance times out (the old members' session timeout minus a
/// second). A joining member whose own session ends first is dropped, and its JoinGroup is never
/// answered; so a join that gets no assignment within its session is abandoned and tried again,
/// by then against an empty group. The session stays short, because it in turn decides how long
/// the next worker waits once this member has left.
struct GroupMemberCommit {
    let config: KafkaConfig
    let group: String
    let logger: Logger
    var session: Duration = .seconds(6)

    func commit(
        _ offsets: [TopicPartitionOffset], timeout: Duration, progress: (String) -> Void
    ) throws(KafkaError) {
        let wanted = Set(offsets.map(\.topicPartition))
        let deadline = ContinuousClock.now + timeout
        progress("joining group \(group) to commit \(wanted.count) offsets (the embedded broker takes commits only from members)")
        var assigned = Set<TopicPartition>()
        while true {
            let consumer = try KafkaConsumer(
                config: ConsumerConfig(
                    client: config, groupID: group, isolation: .readUncommitted, offsetReset: .earliest,
                    sessionTimeout: session, heartbeatInterval: .milliseconds(500)),
                logger: logger)
            try consumer.subscribe(Set(wanted.map(\.topic)).sorted())
            let attemptEnds = min(ContinuousClock.now + session + .seconds(2), deadline)
            assigned = try waitForAssignment(consumer, wanted: wanted, until: attemptEnds, progress: progress)
            if wanted.isSubset(of: assigned) {
                try consumer.commit(offsets)
                progress("committed \(offsets.count) offsets as the group's only member; leaving the group")
                try consumer.close()
                return
            }
            try? consumer.close()
            if ContinuousClock.now >= deadline { break }
            progress("  no assignment within the session: the group is still rebalancing after its last member left; joining again")
        }
        throw KafkaError(
            .offsets,
            reason: "group \(group): assigned \(assigned.count) of \(wanted.count) partitions after \(timeout); "
                + "another member holds the rest (is a worker still running?)")
    }

    private func waitForAssignment(
        _ consumer: KafkaConsumer, wanted: Set<TopicPartition>, until end: ContinuousClock.Instant, progress: (String) -> Void
    ) throws(KafkaError) -> Set<TopicPartition> {
        var assigned = Set<TopicPartition>()
        var told = ContinuousClock.now
        while !wanted.isSubset(of: assigned), ContinuousClock.now < end {
            if ContinuousClock.now - told >= .seconds(1) {
                progress("  waiting for the group to assign this member its partitions: \(assigned.count) of \(wanted.count) so far")
                told = .now
            }
            do {
                // Records fetched meanwhile are dropped: nothing is committed but the offsets given.
                try consumer.poll(maxRecords: 100, timeout: .milliseconds(200)) { _ in }
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(.consumer, reason: "\(error)")
            }
            assigned = Set(try consumer.assignment())
        }
        return assigned
    }
}
