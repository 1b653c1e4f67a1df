import Sluice

/// The click event of the bench input, as the JSON rows decode it.
struct BenchClick: Codable, Sendable {
    struct Session: Codable, Sendable {
        var id: String
        var device: String
        var country: String
    }
    var event_id: String
    var user_id: String
    var type: String
    var ts: Int64
    var page: String
    var session: Session
    var value: Double
}

/// What the JSON row writes: a smaller, reshaped event.
struct BenchClickSummary: Codable, Sendable {
    var user: String
    var page: String
    var device: String
    var cents: Int64
}

/// A row of the bench's user table (`BenchInput.usersTopic`), keyed by user id.
struct BenchUser: Codable, Sendable {
    var user_id: String
    var plan: String
    var country: String
    var signup_day: Int
}

/// What the stream-table join row writes: the click with its user's state.
struct BenchEnrichedClick: Codable, Sendable {
    var event_id: String
    var user: String
    var page: String
    var cents: Int64
    var plan: String
    var country: String
}

/// The topologies the bench measures, over the bench input.
enum BenchTopologies {
    static let names = [
        "passthrough", "json-filter-map", "json-filter-map-codable", "bytes-filter-map", "windowed-count", "hopping-aggregate",
        "stream-table-join", "bytes-table-join",
    ]

    /// Records of tables a topology reads besides the input (they count as processed records,
    /// not as inputs of the row: their cost is charged to the input's records).
    static func tableRecords(_ name: String) -> Int { name == "stream-table-join" || name == "bytes-table-join" ? BenchInput.users : 0 }

    /// The windowed rows emit final results only: a window's result once stream time passes it.
    static let tumbling = TimeWindows.tumbling(.seconds(10))
    static let hopping = TimeWindows.hopping(.seconds(10), advance: .seconds(5))

    static func plan(_ name: String, applicationID: String, input: String, output: String) throws -> TopologyPlan {
        let pipeline: Pipeline
        switch name {
        case "passthrough":
            pipeline = Stream(input, key: .bytes, value: .bytes).to(output)
        case "json-filter-map", "json-filter-map-codable":
            let codableOnly = name.hasSuffix("-codable")
            pipeline = Stream(input, key: .string, value: .json(BenchClick.self, codableOnly: codableOnly))
                .filter { _, click in click.type == "click" }
                .mapValues { click in
                    BenchClickSummary(user: click.user_id, page: click.page, device: click.session.device, cents: Int64(click.value * 100))
                }
                .to(output, value: .json(codableOnly: codableOnly))
        // The `bytes-` twins run the JSON rows' shapes on raw bytes (a click is one that contains
        // `"type":"click"`; a reshape keeps a prefix of about the JSON output's size), so that the
        // table shows what each of those rows costs besides its JSON.
        case "bytes-filter-map":
            let click = Array(#""type":"click""#.utf8)
            pipeline = Stream(input, key: .string, value: .bytes)
                .filter { _, value in contains(value, click) }
                .mapValues { value in Array(value.prefix(80)) }
                .to(output)
        // The join rows' users table stands for the compacted topic of a CDC stage: it restores from
        // that topic (Kafka Streams' `reuse.ktable.source.topics`), with no changelog of its own.
        case "bytes-table-join":
            let users = Table(BenchInput.usersTopic, key: .string, value: .bytes, named: "users", changelog: .sourceTopic)
            pipeline = Stream(input, key: .string, value: .bytes)
                .join(users, named: "enrich") { click, user in
                    var enriched: [UInt8] = []
                    enriched.reserveCapacity(100 + user.count)
                    enriched += click.prefix(100)
                    enriched += user
                    return enriched
                }
                .to(output)
        case "windowed-count":
            pipeline = Stream(input, key: .string, value: .bytes)
                .groupByKey().windowedBy(tumbling).emitStrategy(.onWindowClose).count(named: "counts").toStream()
                .to(output, key: .windowed(.string), value: .int64)
        case "hopping-aggregate":
            pipeline = Stream(input, key: .string, value: .bytes)
                .groupByKey().windowedBy(hopping).emitStrategy(.onWindowClose)
                .aggregate(named: "bytes", serde: .int64, initializer: { Int64(0) }) { _, value, total in total + Int64(value.count) }
                .toStream()
                .to(output, key: .windowed(.string), value: .int64)
        case "stream-table-join":
            let users = Table(BenchInput.usersTopic, key: .string, value: .json(BenchUser.self), named: "users", changelog: .sourceTopic)
            pipeline = Stream(input, key: .string, value: .json(BenchClick.self))
                .join(users, named: "enrich") { click, user in
                    BenchEnrichedClick(
                        event_id: click.event_id, user: click.user_id, page: click.page, cents: Int64(click.value * 100), plan: user.plan,
                        country: user.country)
                }
                .to(output, value: .json())
        default:
            throw TopologyError(["no bench topology \(name)"])
        }
        return try TopologyPlan(applicationID: applicationID, pipelines: [pipeline])
    }

    /// Records the topology writes for `records` bench inputs.
    static func expectedOutput(_ name: String, records: Int, partitions: Int) -> Int {
        switch name {
        case "json-filter-map", "json-filter-map-codable", "bytes-filter-map": (0..<records).filter { $0 % 3 == 0 }.count  // BenchInput: type "click" when i % 3 == 0
        case "windowed-count": closedWindows(tumbling, records: records, partitions: partitions)
        case "hopping-aggregate": closedWindows(hopping, records: records, partitions: partitions)
        default: records
        }
    }

    /// Whether `bytes` holds `needle` anywhere. By hand: the standard library's
    /// `Collection.contains(_:)` took about 29 µs per bench event against 0.1 µs for this loop.
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == first && bytes[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Final results the windowed rows must emit: every (user, window) whose window closed by its
    /// partition's stream time, the largest timestamp in that partition (the input is in time
    /// order within a partition, so nothing is late).
    static func closedWindows(_ windows: TimeWindows, records: Int, partitions: Int) -> Int {
        var streamTime = [Int64](repeating: .min, count: partitions)
        var keys: [(partition: Int, key: String, timestamp: Int64)] = []
        keys.reserveCapacity(records)
        for i in 0..<records {
            let key = BenchInput.event(i).key
            let partition = Int(KafkaPartitioner.partition(forKey: Array(key.utf8), partitions: partitions))
            let timestamp = BenchInput.timestamp(i)
            streamTime[partition] = max(streamTime[partition], timestamp)
            keys.append((partition, key, timestamp))
        }
        var closed = Set<String>()
        for k in keys {
            for w in windows.windows(for: k.timestamp) where windows.isClosed(w, streamTime: streamTime[k.partition]) {
                closed.insert("\(k.key)@\(w.start)")
            }
        }
        return closed.count
    }
}
