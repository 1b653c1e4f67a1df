import Testing

@testable import SluiceOperators

/// The index behind decoded values, against a dictionary doing the same: random inserts,
/// updates, removals and evictions, so that probe runs collide, wrap around the table's end
/// and close up behind removals.
@Suite("Slot index of decoded values")
struct SlotIndexTests {
    @Test(arguments: [(1, false), (7, false), (64, false), (1_000, false), (7, true), (64, true)])
    func agreesWithADictionaryThroughRandomChanges(limit: Int, colliding: Bool) {
        var index = SlotIndex(limit: limit)
        var model: [StoreKey: (slot: Int, timestamp: Int64)] = [:]
        var generator = SystemRandomNumberGenerator()
        // Short keys are confirmed from the bucket, long ones from the key itself; a prefix of
        // another key must not pass for it.
        // `colliding`: keys whose digests differ only above the table's mask, or not at all,
        // so that every probe walks one long run.
        let keys = (0..<(limit * 3 + 5)).map { i in
            let j = i / 3
            let bytes = Array((i % 3 == 0 ? "a key longer than sixteen bytes \(j)" : i % 3 == 1 ? "k\(j)" : "k\(j)\0").utf8)
            return colliding ? StoreKey(bytes, digest: 5 + (j % 2) << 40) : StoreKey(bytes)
        }
        for step in 0..<20_000 {
            let key = keys.randomElement(using: &generator)!
            if Int.random(in: 0..<4, using: &generator) == 0 {
                #expect(index.remove(key) == model.removeValue(forKey: key)?.slot, "step \(step): removing")
            } else {
                let timestamp = Int64(step)
                let (slot, _) = index.insert(key, timestamp: timestamp)!
                if let known = model[key] {
                    #expect(slot == known.slot, "step \(step): a kept key keeps its slot")
                } else if model.count == limit {
                    // Full: the key in `slot` was dropped for this one.
                    let dropped = model.first { $0.value.slot == slot }
                    #expect(dropped != nil, "step \(step): an evicted slot held a key")
                    if let dropped { model[dropped.key] = nil }
                } else {
                    #expect(!model.values.contains { $0.slot == slot }, "step \(step): a free slot")
                }
                model[key] = (slot, timestamp)
            }
            #expect(index.find(key)?.slot == model[key]?.slot, "step \(step)")
            #expect(index.count == model.count)
            if step % 499 == 0 {
                #expect(slotsInUse(index, keys) == model.mapValues(\.slot), "step \(step)")
            }
            if index.count != model.count { return }
        }
        for key in keys {
            let found = index.find(key)
            #expect(found?.slot == model[key]?.slot && found?.timestamp == model[key]?.timestamp)
        }
    }

    private func slotsInUse(_ index: SlotIndex, _ keys: [StoreKey]) -> [StoreKey: Int] {
        var found: [StoreKey: Int] = [:]
        for key in keys { if let f = index.find(key) { found[key] = f.slot } }
        return found
    }

    @Test func noLimitKeepsNothing() {
        var index = SlotIndex(limit: 0)
        #expect(index.insert(StoreKey([1]), timestamp: 1) == nil)
        #expect(index.find(StoreKey([1])) == nil && index.count == 0)
    }

    @Test func removeAllEmptiesAndStartsSlotsAgain() {
        var index = SlotIndex(limit: 4)
        for i in 0..<4 { _ = index.insert(StoreKey([UInt8(i)]), timestamp: 0) }
        index.removeAll()
        #expect(index.count == 0 && index.find(StoreKey([0])) == nil)
        #expect(index.insert(StoreKey([9]), timestamp: 0)! == (0, true))
    }
}
