import SluiceOperators
import SluiceTopology

/// The TestDriver's broker: partitioned topics in memory, written by tasks' collectors.
///
/// Keyed records are partitioned with murmur2 like Kafka's Java client; records without a key go
/// round-robin (deterministic, where librdkafka would pick at random).
final class InMemoryTopics: RecordCollector {
    struct Position: Hashable {
        var topic: String
        var partition: Int32
        var offset: Int
    }

    private(set) var partitions: [String: [[StoredRecord]]] = [:]
    /// Every record in the order it was written, for reading a topic in order.
    private(set) var arrivals: [String: [Position]] = [:]
    /// Called for each record written (the driver processes records of topics the plan reads).
    var onAppend: ((Position) -> Void)?
    let partitionCount: (String) -> Int
    private var roundRobin: [String: Int32] = [:]

    init(partitionCount: @escaping (String) -> Int) { self.partitionCount = partitionCount }

    func send(
        topic: String, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: RecordHeaders, timestamp: Int64
    ) throws {
        let keyBytes = key.map { Array($0) }
        append(StoredRecord(key: keyBytes, value: value.map { Array($0) }, headers: headers.owned, timestamp: timestamp), to: topic, partition: partition)
    }

    @discardableResult
    func append(_ record: StoredRecord, to topic: String, partition: Int32?) -> Position {
        let count = partitionCount(topic)
        if partitions[topic] == nil { partitions[topic] = Array(repeating: [], count: count) }
        let p: Int32
        if let partition {
            p = partition
        } else if let key = record.key {
            p = KafkaPartitioner.partition(forKey: key, partitions: count)
        } else {
            p = roundRobin[topic, default: 0]
            roundRobin[topic] = (p + 1) % Int32(count)
        }
        precondition(Int(p) < count, "partition \(p) of \(topic), which has \(count)")
        partitions[topic]![Int(p)].append(record)
        let position = Position(topic: topic, partition: p, offset: partitions[topic]![Int(p)].count - 1)
        arrivals[topic, default: []].append(position)
        onAppend?(position)
        return position
    }

    func record(at position: Position) -> StoredRecord {
        partitions[position.topic]![Int(position.partition)][position.offset]
    }
}
