/// Where a table read from a topic keeps its changes for restores.
public enum TableChangelog: Sendable, Hashable {
    /// A compacted changelog topic of the application's own, `<applicationID>-<store>-changelog`,
    /// written at every commit: restores work whatever the source topic's retention.
    case ownTopic
    /// The source topic itself (Kafka Streams' `reuse.ktable.source.topics` optimization): the
    /// table writes no changelog, so each row is stored by the broker once, not twice, and a
    /// restore reads the source topic up to the application's committed offset, applying each
    /// record as processing would (a record processing dead-lettered is skipped again).
    ///
    /// The source topic must keep every key's latest record: compacted, never expired by
    /// retention. A restore that finds records of its range gone stops the worker with an error
    /// rather than build a table missing rows.
    case sourceTopic
}
