public import SluiceTopology

/// A writer task's stream time, as it sends it to every partition of a repartition topic.
///
/// A marker is a record with neither key nor value and one header, `sluice.watermark`: 16 bytes,
/// big-endian, of the writer's partition, the number of writers (its sub-topology's tasks), and
/// its stream time (`-1`: the writer has seen no record and counts as idle).
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
        guard record.key == nil, record.value == nil, let bytes = record.headers[Self.header], bytes.count == 16 else { return nil }
        func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
            bytes[offset..<offset + MemoryLayout<T>.size].reduce(0) { $0 << 8 | T($1) }
        }
        writer = load(0, as: Int32.self)
        writers = load(4, as: Int32.self)
        time = load(8, as: Int64.self)
        guard writer >= 0, writers > writer else { return nil }
    }

    public var headers: RecordHeaders {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        withUnsafeBytes(of: writer.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: writers.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: time.bigEndian) { bytes.append(contentsOf: $0) }
        return RecordHeaders([.init(name: Self.header, value: bytes)])
    }
}
