extension NexmarkConfig {
    /// Checks that Beam's generator would produce events for this configuration, rather than
    /// throw (a zero `nextInt` bound, a division by zero) or overflow a Java `int`.
    /// - Throws: ``NexmarkConfigError`` listing every problem.
    public func validate() throws(NexmarkConfigError) {
        var problems: [String] = []
        func require(_ ok: Bool, _ problem: @autoclosure () -> String) {
            if !ok { problems.append(problem()) }
        }
        func javaInt(_ value: Int, _ name: String, atLeast minimum: Int) {
            require(value >= minimum && value <= Int(Int32.max), "\(name) must be in \(minimum)...\(Int32.max), not \(value)")
        }
        require(numEvents >= 0, "numEvents must not be negative (0 means unbounded)")
        javaInt(numEventGenerators, "numEventGenerators", atLeast: 1)
        javaInt(firstEventRate, "firstEventRate", atLeast: 1)
        javaInt(nextEventRate, "nextEventRate", atLeast: 1)
        javaInt(ratePeriodSec, "ratePeriodSec", atLeast: 1)
        javaInt(avgPersonByteSize, "avgPersonByteSize", atLeast: 1)
        javaInt(avgAuctionByteSize, "avgAuctionByteSize", atLeast: 1)
        javaInt(avgBidByteSize, "avgBidByteSize", atLeast: 1)
        javaInt(hotAuctionRatio, "hotAuctionRatio", atLeast: 1)
        javaInt(hotSellersRatio, "hotSellersRatio", atLeast: 1)
        javaInt(hotBiddersRatio, "hotBiddersRatio", atLeast: 1)
        javaInt(numInFlightAuctions, "numInFlightAuctions", atLeast: 0)
        javaInt(numActivePeople, "numActivePeople", atLeast: 0)
        require(outOfOrderGroupSize >= 1, "outOfOrderGroupSize must be at least 1")
        require(firstEventId >= 0, "firstEventId must not be negative")
        require(firstEventNumber >= 0, "firstEventNumber must not be negative")
        if problems.isEmpty, firstEventRate != nextEventRate {
            // Beam divides by each step's delay and by the events in a whole cycle.
            let timeline = EventTimeline(config: self)
            require(
                !timeline.interEventDelaysUs.contains(0) && timeline.eventsPerEpoch > 0,
                "the rate shape needs every step's delay (rate period \(ratePeriodSec) s, rates \(firstEventRate) and \(nextEventRate) \(rateUnit), \(numEventGenerators) generators) to be at least 1 µs and a step to hold at least one event")
        }
        if !problems.isEmpty { throw NexmarkConfigError(problems: problems) }
    }

    /// Beam's `maxEvents`: ``numEvents``, or for 0 the most events whose estimated byte size
    /// fits an `Int64`.
    var maxEvents: Int64 {
        if numEvents != 0 { return numEvents }
        let largest = Int64(max(avgPersonByteSize, avgAuctionByteSize, avgBidByteSize))
        return Int64.max / (Int64(EventKinds.denominator) * largest)
    }
}
