public import SluiceTopology

/// A record that arrived after every window it belongs to had closed. It reaches the dead-letter
/// topic with `sluice.error` starting `late:`.
public struct LateRecordError: Error, CustomStringConvertible {
    public let timestamp: Int64
    public let window: Window
    public let streamTime: Int64

    public var description: String {
        "late: record at \(timestamp) is too late for window \(window), closed at stream time \(streamTime)"
    }
}
