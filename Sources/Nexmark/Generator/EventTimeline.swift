/// When each event happens: the timing half of Beam's `GeneratorConfig` (inter-event delays,
/// rate steps and epochs, out-of-order groups), for one generator.
///
/// An event *count* is how many events this generator has emitted; its *number* adds
/// ``firstEventNumber`` and decides its timestamp; its *adjusted number* is the number permuted
/// within its out-of-order group, and decides both its id and its reported time.
struct EventTimeline: Sendable {
    let baseTime: Int64
    let firstEventNumber: Int64
    let outOfOrderGroupSize: Int64
    /// Per-generator delay of each rate step, in microseconds; one entry for a constant rate.
    let interEventDelaysUs: [Int64]
    /// Seconds spent in each rate step.
    let stepLengthSec: Int64
    /// Events, and milliseconds, in one full cycle of the rate steps (0 for a constant rate).
    let eventsPerEpoch: Int64
    let epochPeriodMs: Int64
    /// `interEventDelaysUs[0]` when the rate is constant, the common case, read without the array.
    private let constantDelayUs: Int64?

    init(config: NexmarkConfig) {
        baseTime = config.baseTime.millisecondsSinceEpoch
        firstEventNumber = config.firstEventNumber
        outOfOrderGroupSize = config.outOfOrderGroupSize
        interEventDelaysUs = config.rateShape.interEventDelaysUs(
            firstRate: Int64(config.firstEventRate), nextRate: Int64(config.nextEventRate),
            unit: config.rateUnit, generators: Int64(config.numEventGenerators))
        stepLengthSec = config.rateShape.stepLengthSec(ratePeriodSec: Int64(config.ratePeriodSec))
        var events: Int64 = 0
        var period: Int64 = 0
        if interEventDelaysUs.count > 1 {
            for delay in interEventDelaysUs {
                let eventsThisStep = (stepLengthSec &* 1_000_000) / delay
                events &+= eventsThisStep
                period &+= (eventsThisStep &* delay) / 1000
            }
        }
        eventsPerEpoch = events
        epochPeriodMs = period
        constantDelayUs = interEventDelaysUs.count == 1 ? interEventDelaysUs[0] : nil
    }

    /// Beam's `nextEventNumber(count)`.
    @inline(__always)
    func eventNumber(count: Int64) -> Int64 { firstEventNumber &+ count }

    /// Beam's `nextAdjustedEventNumber(count)`: the number moved to `(number × 953) mod size`
    /// within its group of ``outOfOrderGroupSize`` (953 is prime, so it permutes the group
    /// whenever the size is not a multiple of it).
    @inline(__always)
    func adjustedEventNumber(count: Int64) -> Int64 {
        let n = outOfOrderGroupSize
        let number = eventNumber(count: count)
        if n == 1 { return number }
        return (number / n) &* n &+ (number &* 953) % n
    }

    /// Beam's `nextEventNumberForWatermark(count)`: the first number of the event's group, whose
    /// time no event of this group or a later one comes before.
    func watermarkEventNumber(count: Int64) -> Int64 {
        let n = outOfOrderGroupSize
        return (eventNumber(count: count) / n) &* n
    }

    /// Beam's `timestampAndInterEventDelayUsForEvent(number).getKey()`: ms since the epoch.
    @inline(__always)
    func timestamp(eventNumber: Int64) -> Int64 {
        if let delay = constantDelayUs {
            return baseTime &+ (eventNumber &* delay) / 1000
        }
        let epoch = eventNumber / eventsPerEpoch
        var n = eventNumber % eventsPerEpoch
        var offsetInEpochMs: Int64 = 0
        for delay in interEventDelaysUs {
            let eventsThisStep = (stepLengthSec &* 1_000_000) / delay
            if n < eventsThisStep {
                let offsetInStepUs = n &* delay
                return baseTime &+ epoch &* epochPeriodMs &+ offsetInEpochMs &+ offsetInStepUs / 1000
            }
            n -= eventsThisStep
            offsetInEpochMs &+= (eventsThisStep &* delay) / 1000
        }
        preconditionFailure("eventsPerEpoch does not match the rate steps")
    }
}
