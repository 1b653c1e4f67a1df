import Sluice

/// The bench's input: click events of about 210 bytes, keyed by user, the same in every run.
enum BenchInput {
    static let users = 100_000

    /// The `i`th event's key and value.
    static func event(_ i: Int) -> (key: String, value: String) {
        let user = "user-\(String(i &* 7919 % users))"
        let kinds = ["click", "view", "scroll"]
        let devices = ["mobile", "desktop", "tablet"]
        let value = """
            {"event_id":"e\(String(i, radix: 16))-4c61-9e2f-5a4b3c2d1e0f","user_id":"\(user)","type":"\(kinds[i % 3])",\
            "ts":\(1_700_000_000_000 + i * 10),"page":"/products/shoes/\(i % 500)","session":{"id":"s-\(i / 50)",\
            "device":"\(devices[i % 3])","country":"DE"},"value":\(i % 10_000).99}
            """
        return (user, value)
    }

    /// The `i`th event's timestamp: 10 ms apart, so 1M events span about three hours.
    static func timestamp(_ i: Int) -> Int64 { 1_700_000_000_000 + Int64(i) * 10 }

    /// Partitions needed so the embedded broker's ~5 MiB per partition holds `records` events
    /// (DESIGN.md §4), rounded up to a multiple of 8 and never below 8.
    static func partitions(for records: Int) -> Int {
        let bytes = records * 240
        let needed = bytes / (4 << 20) + 1
        return max(8, (needed + 7) / 8 * 8)
    }

    /// The user table the stream-table join row enriches events with: one row per user.
    static let usersTopic = "bench-users"

    /// Writes one `BenchUser` row per user to `topic`, timestamped before every event.
    static func produceUsers(to topic: String, bootstrap: String) throws {
        let client = KafkaConfig(bootstrapServers: bootstrap, properties: ["batch.size": "16384"])
        let producer = try KafkaProducer(config: ProducerConfig(client: client, linger: .milliseconds(20)))
        let handle = try producer.topic(topic)
        let plans = ["free", "pro", "team"]
        for u in 0..<users {
            var key = "user-\(u)"
            var value = #"{"user_id":"user-\#(u)","plan":"\#(plans[u % 3])","country":"\#(u % 2 == 0 ? "DE" : "FR")","signup_day":\#(u % 1000)}"#
            try key.withUTF8 { kb in
                try value.withUTF8 { vb in
                    try producer.send(to: handle, key: UnsafeRawBufferPointer(kb), value: UnsafeRawBufferPointer(vb), timestamp: 1_600_000_000_000)
                }
            }
            if u % 10_000 == 0 { producer.poll() }
        }
        try producer.flush(timeout: .seconds(120))
    }

    /// Writes `records` events to `topic`.
    static func produce(_ records: Int, to topic: String, bootstrap: String) throws {
        // Batches of 16 KiB, the Java producer's default: what upstream services typically write.
        // (librdkafka's 1 MiB batches would make every fetch from the embedded broker, which ignores
        // fetch size limits, tens of megabytes.)
        let client = KafkaConfig(bootstrapServers: bootstrap, properties: ["batch.size": "16384"])
        let producer = try KafkaProducer(config: ProducerConfig(client: client, linger: .milliseconds(20)))
        let handle = try producer.topic(topic)
        for i in 0..<records {
            let (key, value) = event(i)
            var k = key
            var v = value
            try k.withUTF8 { kb in
                try v.withUTF8 { vb in
                    try producer.send(to: handle, key: UnsafeRawBufferPointer(kb), value: UnsafeRawBufferPointer(vb), timestamp: timestamp(i))
                }
            }
            if i % 10_000 == 0 { producer.poll() }
        }
        try producer.flush(timeout: .seconds(120))
    }
}
