import ArgumentParser
import Foundation
import Logging
import Sluice

/// `sluice demo`: a produce-and-consume round trip on the embedded broker with a live count.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Round-trip sample events through the embedded broker, counting live.")

    @Option(help: "Events to send.")
    var count = 200_000

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.bootstrap(label: "sluice.demo")
        let broker = try EmbeddedBroker(logger: logger)
        // Enough partitions that the embedded broker's ~5 MiB per partition holds every event.
        let partitions = max(4, count * 220 / (4 << 20) + 1)
        try broker.createTopic("clicks", partitions: partitions)
        let client = KafkaConfig(bootstrapServers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: ProducerConfig(client: client), logger: logger)
        let consumer = try KafkaConsumer(config: ConsumerConfig(client: client, groupID: "demo"), logger: logger)
        try consumer.subscribe(["clicks"])
        print("embedded broker at \(broker.bootstrapServers); sending \(count) events to 'clicks' (\(partitions) partitions)")

        let started = ContinuousClock.now
        var sent = 0
        var received = 0
        var lastPrint = ContinuousClock.now
        while received < count {
            while sent < count && sent - received < 50_000 {
                let user = "user-\(sent % 1000)"
                let value = #"{"event_id":"e-\#(sent)","user_id":"\#(user)","type":"click","page":"/p/\#(sent % 97)"}"#
                try producer.send(topic: "clicks", key: Array(user.utf8), value: Array(value.utf8))
                sent += 1
            }
            producer.poll()
            let batch = try consumer.poll(maxRecords: 10_000, timeout: .milliseconds(100))
            received += batch.count
            for loss in batch.losses { print("! \(loss)") }
            if ContinuousClock.now - lastPrint > .milliseconds(250) || received == count {
                lastPrint = ContinuousClock.now
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                let line = String(format: "\rsent %8d  received %8d  %7.0f events/s ", sent, received, Double(received) / max(seconds, 0.001))
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            if ContinuousClock.now - started > .seconds(120) { break }
        }
        try producer.flush(timeout: .seconds(10))
        print("\n\(received == count ? "✓ every event came back" : "✗ \(count - received) events missing")")
        if received != count { throw ExitCode.failure }
    }
}
