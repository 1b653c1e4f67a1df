/// Flink Nexmark's `channel` and `url` bid fields, which Beam's model lacks.
///
/// The rule is Flink Nexmark's `BidGenerator` (github.com/nexmark/nexmark, `nexmark-flink`):
/// - with probability 1/2 (`nextInt(2) > 0`) the bid comes from one of four hot channels,
///   "Google", "Facebook", "Baidu" or "Apple" (`nextInt(4)`), each with one fixed URL;
/// - otherwise from "channel-N", N = `nextInt(10000)`, whose fixed URL ends, for 9 channels in
///   10, in `&channel_id=` and `abs(Integer.reverse(N))` (Java's wrapping `abs`, so channel 1
///   gets -2147483648);
/// - every URL is `https://www.nexmark.com/` + three random path segments of 3 or 4 characters
///   (letters, or `_` with probability 1/13) + `/item.htm?query=1`.
///
/// Two departures, both so that Sluice's stream is reproducible and keeps Beam's fields exact:
/// - Flink draws the URLs from an unseeded random (a different table in every JVM); here they come
///   from a `java.util.Random` seeded with ``urlSeed``, in Flink's order (four hot URLs, then
///   channels 0 to 9999, each URL's segments then its `nextInt(10)`).
/// - Flink draws the channel from the event's random between the price and `extra`, which changes
///   `extra`; here the same draws come after `extra`, from the same per-event random.
///
/// Flink's generator also adds 1000 to the bidder id twice; Sluice keeps Beam's bidder.
struct BidChannels: Sendable {
    static let hotChannels = ["Google", "Facebook", "Baidu", "Apple"]
    static let channelCount: Int32 = 10_000
    /// Seed of the URL table ("Nexmark" in ASCII).
    static let urlSeed: Int64 = 0x4E_6578_6D61_726B

    /// Built once per process: 10,004 short strings.
    static let shared = BidChannels(seed: urlSeed)

    let hotURLs: [String]
    let names: [String]
    let urls: [String]

    init(seed: Int64) {
        var random = JavaRandom(seed: seed)
        hotURLs = Self.hotChannels.map { _ in Self.baseURL(&random) }
        var names: [String] = []
        var urls: [String] = []
        names.reserveCapacity(Int(Self.channelCount))
        urls.reserveCapacity(Int(Self.channelCount))
        for channel in 0..<Self.channelCount {
            var url = Self.baseURL(&random)
            if random.nextInt(10) > 0 {
                let reversed = Int32(bitPattern: UInt32(bitPattern: channel).bitsReversed)
                url += "&channel_id=\(reversed < 0 ? 0 &- reversed : reversed)"
            }
            names.append("channel-\(channel)")
            urls.append(url)
        }
        self.names = names
        self.urls = urls
    }

    /// Draws a bid's channel and URL.
    @inline(__always)
    func next(_ random: inout JavaRandom) -> (channel: String, url: String) {
        if random.nextInt(2) > 0 {
            let hot = Int(random.nextInt(Int32(Self.hotChannels.count)))
            return (Self.hotChannels[hot], hotURLs[hot])
        }
        let channel = Int(random.nextInt(Self.channelCount))
        return (names[channel], urls[channel])
    }

    private static func baseURL(_ random: inout JavaRandom) -> String {
        let underscore = UInt8(ascii: "_")
        let first = random.nextString(maxLength: 5, special: underscore)
        let second = random.nextString(maxLength: 5, special: underscore)
        let third = random.nextString(maxLength: 5, special: underscore)
        return "https://www.nexmark.com/\(first)/\(second)/\(third)/item.htm?query=1"
    }
}

extension UInt32 {
    /// Java's `Integer.reverse`: the 32 bits in reverse order.
    var bitsReversed: UInt32 {
        var x = self
        x = (x & 0x5555_5555) << 1 | (x >> 1) & 0x5555_5555
        x = (x & 0x3333_3333) << 2 | (x >> 2) & 0x3333_3333
        x = (x & 0x0F0F_0F0F) << 4 | (x >> 4) & 0x0F0F_0F0F
        return x.byteSwapped
    }
}
