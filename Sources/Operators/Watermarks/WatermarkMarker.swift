public import SluiceTopology

/// A writer task's stream time, as it sends it to every partition of a repartition topic.
///
/// A marker is a record with neither key nor value and one header, `sluice.watermark`: three
/// 8-byte big-endian integers, the writer's partition, the number of writers (its sub-topology's
/// tasks), and its stream time (`-1`: the writer has seen no record and counts as idle).
public struct WatermarkMarker: Sendable, Hashable {
    public static let header = "sluice.watermark"

    public var writer: Int32
    public var writers: Int32
    public var time: Int64

    public init(writer: Int32, writers: Int32, time: Int64) {
        self.writer = writer
        self.writers = writers
        self.time = time
    }

    /// The marker a record carries, if it is one.
    public init?(_ record: RawRecord) {
        guard record.key == nil, record.value == nil, let bytes = record.headers[Self.header], bytes.count == 24 else { return nil }
        let (writer, writers, time) = bytes.withUnsafeBytes { b in
            (ByteOrder.int64(b, at: 0), ByteOrder.int64(b, at: 8), ByteOrder.int64(b, at: 16))
        }
        guard writer >= 0, writers > writer, writers <= Int32.max else { return nil }
        self.init(writer: Int32(writer), writers: Int32(writers), time: time)
    }

    public var headers: RecordHeaders {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        ByteOrder.appendInt64(Int64(writer), to: &bytes)
        ByteOrder.appendInt64(Int64(writers), to: &bytes)
        ByteOrder.appendInt64(time, to: &bytes)
        return RecordHeaders([.init(name: Self.header, value: bytes)])
    }
}
