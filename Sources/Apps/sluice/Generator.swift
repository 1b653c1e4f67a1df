import Foundation
import Logging
import Sluice
import Synchronization

/// Writes a topology's sample records at a steady rate, on a thread of its own.
final class Generator: Sendable {
    let sent = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    /// Starts writing `source`'s samples to `bootstrap` at `rate` records per second.
    init(source: SampleSource, rate: Int, bootstrap: String, logger: Logger) throws {
        let producer = try KafkaProducer(config: ProducerConfig(client: KafkaConfig(bootstrapServers: bootstrap)), logger: logger)
        let topic = try producer.topic(source.topic)
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            var i = 0
            while !stopped.load(ordering: .relaxed) {
                let due = Int(Double(rate) * ((ContinuousClock.now - started) / .seconds(1)))
                while i < due {
                    let (key, value) = source.make(i)
                    do {
                        try withOptional(key) { k in try withOptional(value) { v in try producer.send(to: topic, key: k, value: v) } }
                    } catch {
                        logger.error("generator could not send", metadata: ["error": "\(error)"])
                    }
                    i += 1
                }
                sent.store(i, ordering: .relaxed)
                producer.poll()
                Thread.sleep(forTimeInterval: 0.01)
            }
            try? producer.flush(timeout: .seconds(10))
        }
        thread.name = "sluice-generator"
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }
}

private func withOptional<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    guard let bytes else { return try body(nil) }
    return try bytes.withUnsafeBytes { try body($0) }
}
