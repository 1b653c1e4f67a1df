import Sluice

/// Whether two rows wrote the same records. A row's job written by hand in C++ claims to do its
/// Sluice row's work, so their outputs must be equal record for record, keys and bytes, in any
/// order (partitions interleave differently): a check of either side's JSON (the C++ job's
/// escaping, Sluice's number parsing) as much as of the claim.
enum OutputComparison {
    struct Outcome {
        var records: Int
        /// What differs, or nil when the outputs are equal.
        var difference: String?
    }

    static func compare(_ topic: String, with other: String, bootstrap: String) throws -> Outcome {
        let mine = try fingerprints(topic, bootstrap: bootstrap)
        let theirs = try fingerprints(other, bootstrap: bootstrap)
        // Both sorted: a merge counts the records each has that the other lacks.
        var onlyMine = 0
        var onlyTheirs = 0
        var i = 0
        var j = 0
        while i < mine.count || j < theirs.count {
            if j == theirs.count || (i < mine.count && mine[i] < theirs[j]) {
                onlyMine += 1
                i += 1
            } else if i == mine.count || theirs[j] < mine[i] {
                onlyTheirs += 1
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        guard onlyMine > 0 || onlyTheirs > 0 else { return Outcome(records: mine.count, difference: nil) }
        return Outcome(
            records: mine.count,
            difference: "\(onlyMine) of its \(mine.count) records are not in \(other), which has \(onlyTheirs) of \(theirs.count) not in it")
    }

    /// A hash of each record's key and value (this process's seed), sorted.
    private static func fingerprints(_ topic: String, bootstrap: String) throws -> [Int] {
        var hashes: [Int] = []
        try TopicReader.records(topic, bootstrap: bootstrap) { record in
            var hasher = Hasher()
            hasher.combine(record.key?.count ?? -1)
            if let key = record.key { hasher.combine(bytes: key) }
            hasher.combine(record.value?.count ?? -1)
            if let value = record.value { hasher.combine(bytes: value) }
            hashes.append(hasher.finalize())
        }
        return hashes.sorted()
    }
}
