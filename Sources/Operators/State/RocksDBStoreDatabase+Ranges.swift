import Synchronization

// Which stores and partitions the database holds, and removing those of tasks that left.
extension RocksDBStoreDatabase {
    /// The stores and partitions the database holds rows or a checkpoint of.
    public func ranges() throws -> [(store: String, partition: Int32)] {
        named(try rangesOnDisk())
    }

    /// Removes the rows and checkpoint of every range no store has had open for `idle` (counted
    /// from the database's open for ranges not opened since): the state of a task that moved to
    /// another worker (Kafka Streams' `state.cleanup.delay.ms`). Should the task come back, its
    /// stores restore from their changelogs' start, as on a new worker.
    /// - Returns: the ranges removed.
    public func removeAbandoned(idle: Duration) throws -> [(store: String, partition: Int32)] {
        let candidates = try rangesOnDisk()
        let instance = RocksDBInstance(sharing: database)
        defer { instance.close() }
        var removed: [[UInt8]] = []
        for range in candidates {
            // Under the lock, so a store of this range cannot open between the check and the
            // deletion and find a checkpoint whose rows are then deleted under it.
            let gone = try use.withLock { use throws -> Bool in
                guard use.open[range] == nil, ContinuousClock.now - (use.closed[range] ?? openedAt) >= idle else { return false }
                let batch = RocksDBWriteBatch()
                batch.deleteRange(from: range, to: RocksDBInstance.prefixSuccessor(range)!)
                batch.delete(key: Self.checkpointKey(range))
                try instance.write(batch)
                use.closed[range] = nil
                return true
            }
            if gone { removed.append(range) }
        }
        return named(removed)
    }

    /// Each range's store, by name (`#id` for an id the database names no store for), and
    /// partition.
    private func named(_ ranges: [[UInt8]]) -> [(store: String, partition: Int32)] {
        let names = ids.withLock { Dictionary(uniqueKeysWithValues: $0.map { ($1, $0) }) }
        return ranges.map { range in
            let (id, partition) = Self.parse(range)
            return (names[id] ?? "#\(id)", partition)
        }
    }

    /// Every range holding rows or a checkpoint: one seek per range over the rows (each jumps
    /// past the range just found), and a scan of the checkpoints.
    private func rangesOnDisk() throws -> [[UInt8]] {
        let instance = RocksDBInstance(sharing: database)
        defer { instance.close() }
        var found = Set<[UInt8]>()
        var from: [UInt8] = [Self.rowTag]
        while true {
            var next: [UInt8]?
            try instance.iterate(from: from, to: [Self.rowTag + 1]) { key, _ in
                next = Array(key.prefix(Self.rangeLength))
                return false
            }
            guard let range = next, range.count == Self.rangeLength else { break }
            found.insert(range)
            guard let successor = RocksDBInstance.prefixSuccessor(range) else { break }
            from = successor
        }
        try instance.prefixScan(Self.checkpointPrefix) { key, _ in
            if key.count == Self.checkpointPrefix.count + Self.rangeLength - 1 {
                found.insert([Self.rowTag] + key.dropFirst(Self.checkpointPrefix.count))
            }
            return true
        }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    fileprivate static func parse(_ range: [UInt8]) -> (id: UInt32, partition: Int32) {
        range.withUnsafeBytes { bytes in
            (UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt32.self)),
             Int32(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 5, as: UInt32.self))))
        }
    }
}
