public import SluiceTopology

/// Pipes typed records into a topic of a `TopologyTestDriver`.
public struct TestInputTopic<Key, Value> {
    let driver: TopologyTestDriver
    public let topic: String
    let keySerde: any Serde<Key>
    let valueSerde: any Serde<Value>

    /// Writes one record and processes it (and whatever it causes) before returning.
    /// - Parameter partition: by default murmur2 of the key, as a Java producer would choose.
    public func pipe(
        key: Key, value: Value, timestamp: Int64 = 0, headers: RecordHeaders = RecordHeaders(), partition: Int32? = nil
    ) throws {
        var k: [UInt8] = []
        var v: [UInt8] = []
        let hasKey = try keySerde.serialize(key, into: &k)
        let hasValue = try valueSerde.serialize(value, into: &v)
        try driver.pipe(
            StoredRecord(key: hasKey ? k : nil, value: hasValue ? v : nil, headers: headers, timestamp: timestamp),
            topic: topic, partition: partition)
    }

    /// Writes raw bytes, e.g. a record no serde would produce (a poison pill).
    public func pipeRaw(
        key: [UInt8]?, value: [UInt8]?, timestamp: Int64 = 0, headers: RecordHeaders = RecordHeaders(), partition: Int32? = nil
    ) throws {
        try driver.pipe(StoredRecord(key: key, value: value, headers: headers, timestamp: timestamp), topic: topic, partition: partition)
    }
}

/// Reads typed records from a topic of a `TopologyTestDriver`, each once, in the order written.
public struct TestOutputTopic<Key, Value> {
    let driver: TopologyTestDriver
    public let topic: String
    let keySerde: any Serde<Key>
    let valueSerde: any Serde<Value>

    /// The records written since the last read.
    public func readRecords() throws -> [TestRecord<Key, Value>] {
        try driver.read(topic).map { position, stored in
            let key = try stored.key.withOptionalBytes { try keySerde.deserialize($0) }
            let value = try stored.value.withOptionalBytes { try valueSerde.deserialize($0) }
            return TestRecord(
                key: key, value: value, timestamp: stored.timestamp, headers: stored.headers, topic: topic,
                partition: position.partition, offset: Int64(position.offset))
        }
    }

    public func readValues() throws -> [Value] { try readRecords().map(\.value) }

    public func readKeyValues() throws -> [(Key, Value)] { try readRecords().map { ($0.key, $0.value) } }
}

extension Optional where Wrapped == [UInt8] {
    fileprivate func withOptionalBytes<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        guard let self else { return try body(nil) }
        return try self.withUnsafeBytes { try body($0) }
    }
}
