/// How Beam's generator moves between its two event rates (`NexmarkUtils.RateShape`).
public struct RateShape: Sendable, Hashable, CustomStringConvertible {
    enum Backing: Sendable, Hashable {
        case square, sine
    }
    let backing: Backing

    /// Alternates between the two rates, each for half of the rate period.
    public static let square = RateShape(backing: .square)
    /// Ten steps approximating a cosine from the first rate down to the next and back.
    public static let sine = RateShape(backing: .sine)

    public var description: String { backing == .square ? "square" : "sine" }

    /// Steps the shape cycles through (Beam's `N` for the sine).
    var steps: Int64 { backing == .square ? 2 : 10 }

    /// Beam's `interEventDelayUs(firstRate, nextRate, unit, numGenerators)`: the per-generator
    /// delay, in microseconds, of each step; a single step when the rates are equal.
    func interEventDelaysUs(firstRate: Int64, nextRate: Int64, unit: RateUnit, generators: Int64) -> [Int64] {
        if firstRate == nextRate { return [unit.periodUs(rate: firstRate) &* generators] }
        switch backing {
        case .square:
            return [unit.periodUs(rate: firstRate) &* generators, unit.periodUs(rate: nextRate) &* generators]
        case .sine:
            // Java adds the two `int` rates as `int`s, wrapping for rates above 2^30.
            let mid = Double(Int32(truncatingIfNeeded: firstRate &+ nextRate)) / 2.0
            let amplitude = Double(firstRate - nextRate) / 2.0  // negative when the rate rises
            return (0..<steps).map { i in
                let rate = mid + amplitude * javaCos((2.0 * Double.pi * Double(i)) / Double(steps))
                return unit.periodUs(rate: javaRound(rate)) &* generators
            }
        }
    }

    /// Beam's `stepLengthSec(ratePeriodSec)`: the period divided among the steps, rounded up
    /// (in Java `int` arithmetic).
    func stepLengthSec(ratePeriodSec: Int64) -> Int64 {
        let n = Int32(steps)
        return Int64((Int32(truncatingIfNeeded: ratePeriodSec) &+ n &- 1) / n)
    }
}

/// The unit of Beam's event rates (`NexmarkUtils.RateUnit`).
public struct RateUnit: Sendable, Hashable, CustomStringConvertible {
    let microsecondsPerUnit: Int64

    /// Events per second.
    public static let perSecond = RateUnit(microsecondsPerUnit: 1_000_000)
    /// Events per minute.
    public static let perMinute = RateUnit(microsecondsPerUnit: 60_000_000)

    public var description: String { microsecondsPerUnit == 1_000_000 ? "per second" : "per minute" }

    /// Beam's `rateToPeriodUs(rate)`: microseconds between events, rounded to nearest.
    func periodUs(rate: Int64) -> Int64 { (microsecondsPerUnit + rate / 2) / rate }
}
