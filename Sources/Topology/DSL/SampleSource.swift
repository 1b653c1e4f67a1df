/// Sample input for a topology, so `sluice run NAME --generate RATE` shows it working at once.
public struct SampleSource: Sendable {
    /// The topic the samples are written to.
    public let topic: String
    /// The `i`th sample record's key and value bytes.
    public let make: @Sendable (Int) -> (key: [UInt8]?, value: [UInt8]?)

    public init(topic: String, _ make: @escaping @Sendable (Int) -> (key: [UInt8]?, value: [UInt8]?)) {
        self.topic = topic
        self.make = make
    }
}
