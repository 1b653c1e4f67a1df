import SluiceNexmark
import Testing

/// Flink Nexmark's `channel` and `url` (there is no Java reference output: Flink draws its URL
/// table from an unseeded random), checked against Flink's rule.
@Suite struct BidChannelTests {
    static let hot = ["Google", "Facebook", "Baidu", "Apple"]

    @Test func channelsAndURLsFollowFlinksRule() throws {
        var config = NexmarkConfig()
        config.numEvents = 200_000
        var urlOfChannel: [String: String] = [:]
        var bids = 0
        var hotBids = 0
        var withChannelID = 0
        for case .bid(let bid) in try NexmarkGenerator(config: config) {
            bids += 1
            if Self.hot.contains(bid.channel) { hotBids += 1 } else {
                let number = try #require(Int32(bid.channel.dropFirst("channel-".count)))
                #expect(bid.channel.hasPrefix("channel-") && (0..<10_000).contains(number))
                if let id = bid.url.split(separator: "&channel_id=").dropFirst().first {
                    withChannelID += 1
                    #expect(Int32(id) == javaAbsReverse(number))
                }
            }
            // One URL per channel, of Flink's shape.
            #expect(urlOfChannel[bid.channel, default: bid.url] == bid.url)
            urlOfChannel[bid.channel] = bid.url
            let parts = bid.url.split(separator: "/", omittingEmptySubsequences: false)
            #expect(parts.count == 7 && bid.url.hasPrefix("https://www.nexmark.com/"))
            #expect(parts[6].hasPrefix("item.htm?query=1"))
            for segment in parts[3...5] {
                #expect((3...4).contains(segment.count))
                #expect(segment.allSatisfy { $0 == "_" || ("a"..."z").contains($0) })
            }
        }
        let hotShare = Double(hotBids) / Double(bids)
        #expect(abs(hotShare - 0.5) < 0.01)
        let coldChannels = urlOfChannel.keys.filter { !Self.hot.contains($0) }.count
        #expect(coldChannels > 9_000)  // most of the 10,000
        let idShare = Double(withChannelID) / Double(bids - hotBids)
        #expect(abs(idShare - 0.9) < 0.05)
    }

    /// Beam's fields are drawn first, so channel and url leave them as Beam has them (the golden
    /// tests compare them); here, that all four hot channels occur.
    @Test func everyHotChannelOccurs() throws {
        var seen = Set<String>()
        for case .bid(let bid) in try NexmarkGenerator().prefix(1_000) { seen.insert(bid.channel) }
        #expect(seen.isSuperset(of: Self.hot))
    }
}

/// Java's `Math.abs(Integer.reverse(n))`, wrapping at `Int32.min`.
private func javaAbsReverse(_ n: Int32) -> Int32 {
    var reversed: UInt32 = 0
    var bits = UInt32(bitPattern: n)
    for _ in 0..<32 {
        reversed = reversed << 1 | bits & 1
        bits >>= 1
    }
    let value = Int32(bitPattern: reversed)
    return value < 0 ? 0 &- value : value
}
