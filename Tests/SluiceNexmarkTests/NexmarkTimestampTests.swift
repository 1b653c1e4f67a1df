import SluiceNexmark
import Testing

/// Flink's SQL timestamp text, against Java: the expected strings were printed by OpenJDK 17
/// (`jshell`) with a formatter built as Flink's `TimeFormats.SQL_TIMESTAMP_FORMAT` is (ISO date,
/// a space, `HH:mm:ss`, `appendFraction(NANO_OF_SECOND, 0, 9, true)`), from the UTC
/// `LocalDateTime` of each millisecond count, as Flink's `TimestampData.toLocalDateTime()` gives.
@Suite struct NexmarkTimestampTests {
    static let javaFormatted: [(Int64, String)] = [
        (0, "1970-01-01 00:00:00"),
        (1, "1970-01-01 00:00:00.001"),
        (10, "1970-01-01 00:00:00.01"),
        (100, "1970-01-01 00:00:00.1"),
        (120, "1970-01-01 00:00:00.12"),
        (999, "1970-01-01 00:00:00.999"),
        (1_436_918_400_000, "2015-07-15 00:00:00"),
        (-1, "1969-12-31 23:59:59.999"),
        (253_402_300_799_999, "9999-12-31 23:59:59.999"),
        (253_402_300_800_000, "+10000-01-01 00:00:00"),
        (-62_167_219_200_000, "0000-01-01 00:00:00"),
        (-62_167_219_200_001, "-0001-12-31 23:59:59.999"),
        (951_782_400_000, "2000-02-29 00:00:00"),
    ]

    @Test func formatsLikeFlinksJSONFormat() {
        for (millis, text) in Self.javaFormatted {
            #expect(NexmarkTimestamp(millisecondsSinceEpoch: millis).description == text)
        }
        #expect(NexmarkTimestamp.beamBaseTime.description == "2015-07-15 00:00:00")
    }

    @Test func parsesWhatItFormats() {
        for (millis, text) in Self.javaFormatted {
            #expect(NexmarkTimestamp(flinkSQL: text)?.millisecondsSinceEpoch == millis)
        }
        for millis in stride(from: -100_000_000_000 as Int64, to: 100_000_000_000_000, by: 7_777_777_777) {
            let timestamp = NexmarkTimestamp(millisecondsSinceEpoch: millis)
            #expect(NexmarkTimestamp(flinkSQL: timestamp.description) == timestamp)
        }
        #expect(NexmarkTimestamp(flinkSQL: "2015-07-15 00:00:00.123456789")?.millisecondsSinceEpoch == 1_436_918_400_123)
    }

    @Test(arguments: [
        "", "2015-07-15", "2015-07-15T00:00:00", "2015-13-01 00:00:00", "2015-02-29 00:00:00",
        "2015-07-15 24:00:00", "2015-07-15 00:00:00.", "2015-07-15 00:00:00.1234567890",
        "15-07-15 00:00:00", "2015-07-15 00:00:00Z", "2015-07-15 0a:00:00",
    ])
    func rejectsOtherText(_ text: String) {
        #expect(NexmarkTimestamp(flinkSQL: text) == nil)
    }
}
