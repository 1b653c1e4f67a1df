import Foundation
import SluiceOperators

extension Worker {
    /// Waits until the source `source` has taken `records` records and everything they led to
    /// (repartition topics included) went through: no record processed for `quiet`. For runs over
    /// a fixed input (benchmarks, `sluice nexmark run`), where `processedRecords` also counts the
    /// records of internal topics.
    /// - Returns: `false` if the worker failed or nothing moved for `stall`.
    public func drain(source: String, records: Int, quiet: Duration = .seconds(1), stall: Duration = .seconds(120)) -> Bool {
        var last = (count: -1, at: ContinuousClock.now)
        while failure == nil {
            Thread.sleep(forTimeInterval: 0.01)
            let processed = processedRecords
            if processed != last.count {
                last = (processed, .now)
                continue
            }
            let idle = ContinuousClock.now - last.at
            if idle >= quiet, (snapshot.counts[source]?.received ?? 0) >= records { return true }
            if idle >= stall { return false }
        }
        return false
    }
}
