public import SluiceTopology

/// Nexmark events as Kafka record values in Flink Nexmark's JSON: written by
/// ``NexmarkEvent/appendJSON(to:)``, read with Sluice's fast JSON decoder.
///
/// ```swift
/// Stream("nexmark", key: .bytes.optional, value: .nexmark)
/// ```
public struct NexmarkEventSerde: Serde {
    private let json = JSONSerde<NexmarkEvent>()

    public init() {}

    public func serialize(_ value: NexmarkEvent, into buffer: inout [UInt8]) throws -> Bool {
        value.appendJSON(to: &buffer)
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> NexmarkEvent {
        try json.deserialize(bytes)
    }
}

extension Serde where Self == NexmarkEventSerde {
    /// Nexmark events in Flink Nexmark's JSON.
    public static var nexmark: NexmarkEventSerde { NexmarkEventSerde() }
}
