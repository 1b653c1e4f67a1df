/// Fixed-size windows aligned to the epoch: tumbling (advance = size) or hopping (advance < size),
/// as Kafka Streams' `TimeWindows`. A window is `[start, start + size)`.
public struct TimeWindows: Sendable, Hashable {
    /// Milliseconds.
    public let size: Int64
    public let advance: Int64
    /// How long after its end a window still takes late records.
    public let grace: Int64

    /// Windows of `size` that do not overlap.
    public static func tumbling(_ size: Duration, grace: Duration = .zero) -> TimeWindows {
        TimeWindows(size: size.millis, advance: size.millis, grace: grace.millis)
    }

    /// Windows of `size` starting every `advance`; a record falls in `size / advance` of them.
    public static func hopping(_ size: Duration, advance: Duration, grace: Duration = .zero) -> TimeWindows {
        TimeWindows(size: size.millis, advance: advance.millis, grace: grace.millis)
    }

    /// The windows a record at `timestamp` falls in, oldest first.
    public func windows(for timestamp: Int64) -> [Window] {
        var start = (max(0, timestamp - size + advance) / advance) * advance
        var result: [Window] = []
        while start <= timestamp {
            result.append(Window(start: start, end: start + size))
            start += advance
        }
        return result
    }

    /// A window takes no more records once stream time reaches its end plus grace (its end is exclusive).
    public func isClosed(_ window: Window, streamTime: Int64) -> Bool { window.end + grace <= streamTime }

    var problems: [String] {
        var p: [String] = []
        if size <= 0 { p.append("window size must be positive") }
        if advance <= 0 || advance > size { p.append("window advance must be positive and at most the size") }
        if grace < 0 { p.append("grace must not be negative") }
        return p
    }
}

/// Windows of a fixed time difference around each record, as Kafka Streams' `SlidingWindows`: two
/// records fall in one window when their timestamps differ by at most `timeDifference`. A window is
/// `[start, start + timeDifference]`, both ends inclusive.
public struct SlidingWindows: Sendable, Hashable {
    public let timeDifference: Int64
    public let grace: Int64

    public static func sliding(_ timeDifference: Duration, grace: Duration = .zero) -> SlidingWindows {
        SlidingWindows(timeDifference: timeDifference.millis, grace: grace.millis)
    }

    /// The end is inclusive: the window is closed once stream time passes end plus grace.
    public func isClosed(_ window: Window, streamTime: Int64) -> Bool { window.end + grace < streamTime }
}

/// Windows of activity per key separated by an inactivity gap, merging as records arrive, as Kafka
/// Streams' `SessionWindows`. A session is `[first record, last record]`, both inclusive.
public struct SessionWindows: Sendable, Hashable {
    public let gap: Int64
    public let grace: Int64

    public static func session(gap: Duration, grace: Duration = .zero) -> SessionWindows {
        SessionWindows(gap: gap.millis, grace: grace.millis)
    }

    /// A session can grow until no record within `gap` of its end can still arrive in time.
    public func isClosed(_ window: Window, streamTime: Int64) -> Bool { window.end + gap + grace < streamTime }
}

extension Duration {
    /// Whole milliseconds.
    public var millis: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

extension Duration {
    /// `n` minutes, for window sizes: `.tumbling(.minutes(5))`.
    public static func minutes(_ n: Int) -> Duration { .seconds(n * 60) }
    /// `n` hours.
    public static func hours(_ n: Int) -> Duration { .seconds(n * 3600) }
}
