#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Java's `Math.round(double)`: the long nearest `x`, ties towards positive infinity (so
/// `-2.5 → -2`, unlike Swift's `.toNearestOrAwayFromZero`), NaN → 0, out-of-range values clamped.
///
/// Computed as `floor(x)` plus one when the exact fractional part is at least ½, which is Java's
/// definition without the `x + 0.5` rounding error (0.49999999999999994 must give 0).
package func javaRound(_ x: Double) -> Int64 {
    if x.isNaN { return 0 }
    let floor = x.rounded(.down)
    let rounded = x - floor >= 0.5 ? floor + 1 : floor
    if rounded >= 0x1p63 { return .max }
    if rounded < -0x1p63 { return .min }
    return Int64(rounded)
}

/// Java's `Math.pow`, through the C library's `pow`.
///
/// HotSpot's intrinsic and glibc both return the correctly rounded result for all but a few
/// inputs; Beam only rounds `pow` to whole cents, so a last-bit difference would matter only for a
/// result within one ulp of a half cent. The golden tests have not met one.
@inline(__always)
package func javaPow(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }

/// Java's `Math.cos`, through the C library's `cos` (same caveat as ``javaPow(_:_:)``; Beam rounds
/// the result to a whole event rate).
@inline(__always)
package func javaCos(_ x: Double) -> Double { cos(x) }
