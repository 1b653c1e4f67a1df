internal import CRdKafka
import Logging
import Synchronization

/// Tells that a consumed record has no headers without asking librdkafka, which allocates and
/// frees a buffer to find none (`sluice_rd_kafka_consumed_without_headers_v2_0_2` in shim.h):
/// about 1,000 instructions a record written, a fifth of a passthrough's stream thread.
///
/// It reads librdkafka's private record layout, so only on the release whose layout it mirrors
/// (2.0.2, Debian 12's); on any other it stays off and librdkafka is asked every time. Each
/// batch's first record is also asked both ways (`check(_:logger:)`), and one disagreement turns
/// the probe off for the process.
enum HeaderProbe {
    private static let on = Atomic<Bool>(rd_kafka_version() == 0x0200_02ff)

    /// Whether the probe answers for this process's librdkafka.
    static var isOn: Bool { on.load(ordering: .relaxed) }

    /// `true` when `message` certainly has no headers; `false` when librdkafka must tell.
    @inline(__always) static func certainlyNone(_ message: UnsafePointer<rd_kafka_message_t>) -> Bool {
        on.load(ordering: .relaxed) && sluice_rd_kafka_consumed_without_headers_v2_0_2(message) != 0
    }

    /// How many headers librdkafka itself finds in `message` (parsing them if it has not yet).
    static func librdkafkaCount(_ message: UnsafePointer<rd_kafka_message_t>) -> Int {
        ConsumedRecord.librdkafkaHeaders(of: message).map { rd_kafka_header_cnt($0) } ?? 0
    }

    /// Compares the probe's answer for `message` with librdkafka's; turns it off if they differ.
    static func check(_ message: UnsafePointer<rd_kafka_message_t>, logger: Logger) {
        guard certainlyNone(message), librdkafkaCount(message) > 0 else { return }
        if on.exchange(false, ordering: .relaxed) {
            logger.error(
                "librdkafka's record layout is not the one Sluice reads headers by; asking librdkafka from now on",
                metadata: ["librdkafka": "\(String(cString: rd_kafka_version_str()))"])
        }
    }
}
