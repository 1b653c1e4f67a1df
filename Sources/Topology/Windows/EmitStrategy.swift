/// When a windowed aggregation forwards its results (Kafka Streams' `EmitStrategy`, KIP-825).
public enum EmitStrategy: Sendable {
    /// Every update of a window, as it happens (the default).
    case onWindowUpdate
    /// Each window's final result once, when stream time closes the window (its end plus grace; a
    /// session's end plus gap plus grace):
    /// what `suppress(.untilWindowCloses)` gives, read from the aggregation's own store rather
    /// than a second buffer with a changelog of its own.
    case onWindowClose
}
