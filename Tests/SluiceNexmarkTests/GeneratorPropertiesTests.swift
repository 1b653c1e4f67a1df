import SluiceNexmark
import Testing

/// Properties of the stream as a whole: proportions, determinism, resuming, limits.
@Suite struct GeneratorPropertiesTests {
    /// 1 : 3 : 46 exactly over whole blocks of 50 ids, in order or not, with ids consecutive
    /// per kind (every id from 1000 up is used once).
    @Test(arguments: [1, 100] as [Int64])
    func personsAuctionsAndBidsComeOneToThreeToFortySix(outOfOrderGroupSize: Int64) throws {
        var config = NexmarkConfig()
        config.numEvents = 500_000
        config.outOfOrderGroupSize = outOfOrderGroupSize
        var persons: [Int64] = []
        var auctions: [Int64] = []
        var bids = 0
        for event in try NexmarkGenerator(config: config) {
            switch event {
            case .person(let person): persons.append(person.id)
            case .auction(let auction): auctions.append(auction.id)
            case .bid: bids += 1
            }
        }
        #expect(persons.count == 10_000)
        #expect(auctions.count == 30_000)
        #expect(bids == 460_000)
        #expect(persons.sorted() == Array(1000..<11_000))
        #expect(auctions.sorted() == Array(1000..<31_000))
    }

    @Test func theSameConfigurationGivesTheSameEvents() throws {
        var config = NexmarkConfig()
        config.outOfOrderGroupSize = 7
        let first = Array(try NexmarkGenerator(config: config).prefix(5_000))
        let second = Array(try NexmarkGenerator(config: config).prefix(5_000))
        #expect(first == second)
        config.firstEventId = 1
        #expect(Array(try NexmarkGenerator(config: config).prefix(5_000)) != first)
    }

    @Test(arguments: [0, 1, 49, 50, 777, 12_345] as [Int64])
    func resumingAtNEqualsDroppingTheFirstN(n: Int64) throws {
        var config = NexmarkConfig()
        config.outOfOrderGroupSize = 100
        let full = try NexmarkGenerator(config: config)
        let resumed = try NexmarkGenerator(config: config, startingAt: n)
        #expect(resumed.eventsSoFar == n)
        #expect(Array(resumed.prefix(500)) == Array(full.dropFirst(Int(n)).prefix(500)))
        #expect(full.event(atCount: n) == resumed.event(atCount: n))
        #expect(full.event(atCount: n) == Array(full.dropFirst(Int(n)).prefix(1)).first)
    }

    @Test func stopsAfterNumEvents() throws {
        var config = NexmarkConfig()
        config.numEvents = 10
        #expect(Array(try NexmarkGenerator(config: config)).count == 10)
        var atEnd = try NexmarkGenerator(config: config, startingAt: 10)
        #expect(atEnd.next() == nil)
        #expect(atEnd.event(atCount: 10) == nil && atEnd.event(atCount: -1) == nil)
        #expect(throws: NexmarkConfigError.self) { try NexmarkGenerator(config: config, startingAt: 11) }
    }

    /// Out of order only within a group: no event emitted after the watermark is older than it.
    @Test func watermarkPrecedesEveryLaterEvent() throws {
        var config = NexmarkConfig()
        config.outOfOrderGroupSize = 100
        config.numEvents = 3_000
        var generator = try NexmarkGenerator(config: config)
        var watermarks: [NexmarkTimestamp] = []
        var times: [NexmarkTimestamp] = []
        while true {
            let watermark = generator.watermark
            guard let event = generator.next() else { break }
            watermarks.append(watermark)
            times.append(event.dateTime)
        }
        var earliestFromHere = times.last!
        for i in times.indices.reversed() {
            earliestFromHere = min(earliestFromHere, times[i])
            #expect(watermarks[i] <= earliestFromHere)
        }
        #expect(watermarks == watermarks.sorted())
        #expect(times != times.sorted())  // the groups really are shuffled
    }

    @Test func nextEventIdDecidesTheKind() throws {
        var generator = try NexmarkGenerator()
        for _ in 0..<200 {
            let id = generator.nextEventId
            let kind = generator.next()!.eventType
            #expect(kind == (id % 50 == 0 ? 0 : id % 50 < 4 ? 1 : 2))
        }
    }

    @Test func invalidConfigurationsListEveryProblem() {
        var config = NexmarkConfig()
        config.hotAuctionRatio = 0
        config.numEventGenerators = -1
        config.outOfOrderGroupSize = 0
        #expect {
            try config.validate()
        } throws: { error in
            (error as? NexmarkConfigError)?.problems.count == 3
        }
        // A step so short that it holds no event, for every step: Beam would divide by zero.
        var tooFast = NexmarkConfig()
        tooFast.firstEventRate = 1
        tooFast.nextEventRate = 2
        tooFast.rateUnit = .perMinute
        tooFast.numEventGenerators = 1000
        tooFast.ratePeriodSec = 1
        #expect(throws: NexmarkConfigError.self) { try tooFast.validate() }
        #expect(throws: Never.self) { try NexmarkConfig().validate() }
    }
}
