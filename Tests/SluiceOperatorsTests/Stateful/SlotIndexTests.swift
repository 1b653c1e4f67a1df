import Testing

@testable import SluiceOperators

/// Values that are their keys, kept as `DecodedValues` keeps its values: after every change of the
/// index, each kept key must be the value in its slot.
private final class KeysBySlot: SlotValues {
    var slots: [StoreKey?] = []
    var dropped: [StoreKey] = []
    var resizes = 0
    var mistakes: [String] = []

    func drop(_ slot: Int) {
        guard let key = slots[slot] else { return mistakes.append("dropped the empty slot \(slot)") }
        dropped.append(key)
        slots[slot] = nil
    }

    func move(_ from: Int, to: Int) {
        if slots[from] == nil || slots[to] != nil { mistakes.append("moved \(from) to \(to): not from a value to an empty slot") }
        (slots[to], slots[from]) = (slots[from], nil)
    }

    func resize(to capacity: Int, moving moves: [(from: Int, to: Int)]) {
        resizes += 1
        var resized = [StoreKey?](repeating: nil, count: capacity)
        for (from, to) in moves {
            if slots[from] == nil || resized[to] != nil { mistakes.append("resizing moved \(from) to \(to)") }
            resized[to] = slots[from]
        }
        if moves.count != slots.compactMap({ $0 }).count { mistakes.append("resizing lost values") }
        slots = resized
    }
}

/// The index behind decoded values, against a dictionary doing the same: random inserts,
/// updates, removals and evictions, so that probe runs collide, wrap around the table's end
/// and close up behind removals, and every value moves with its key.
@Suite("Slot index of decoded values")
struct SlotIndexTests {
    @Test(arguments: [(1, false), (7, false), (64, false), (1_000, false), (7, true), (64, true)])
    func agreesWithADictionaryThroughRandomChanges(limit: Int, colliding: Bool) {
        var index = SlotIndex(limit: limit)
        let values = KeysBySlot()
        var model: [StoreKey: Int64] = [:]
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
            values.dropped = []
            if Int.random(in: 0..<4, using: &generator) == 0 {
                let kept = model.removeValue(forKey: key) != nil
                #expect(index.remove(key, values: values) == kept, "step \(step): removing")
                #expect(values.dropped == (kept ? [key] : []), "step \(step): the removed key's value is dropped")
            } else {
                let timestamp = Int64(step)
                let (slot, isNew) = index.insert(key, timestamp: timestamp, values: values)!
                #expect(isNew == (model[key] == nil), "step \(step): new only for a key not kept")
                if isNew {
                    if model.count == limit {
                        // Full: one kept key was dropped for this one.
                        #expect(values.dropped.count == 1 && values.dropped.allSatisfy { model[$0] != nil }, "step \(step): evicting")
                        for dropped in values.dropped { model[dropped] = nil }
                    } else {
                        #expect(values.dropped.isEmpty, "step \(step): nothing evicted below the limit")
                    }
                    #expect(values.slots[slot] == nil, "step \(step): a new key's slot is empty")
                    values.slots[slot] = key
                } else {
                    #expect(values.slots[slot] == key, "step \(step): a kept key's slot holds its value")
                }
                model[key] = timestamp
            }
            #expect(index.find(key)?.timestamp == model[key], "step \(step)")
            #expect(index.count == model.count && values.mistakes.isEmpty, "step \(step): \(values.mistakes)")
            if step % 499 == 0 {
                #expect(valuesByKey(index, values, keys) == Dictionary(uniqueKeysWithValues: model.keys.map { ($0, Optional($0)) }), "step \(step)")
                #expect(values.slots.compactMap { $0 }.count == model.count, "step \(step): no value without its key")
            }
            if index.count != model.count || !values.mistakes.isEmpty { return }
        }
        for key in keys { #expect(index.find(key)?.timestamp == model[key]) }
        #expect(valuesByKey(index, values, keys) == Dictionary(uniqueKeysWithValues: model.keys.map { ($0, Optional($0)) }))
    }

    /// The value in each kept key's slot.
    private func valuesByKey(_ index: SlotIndex, _ values: KeysBySlot, _ keys: [StoreKey]) -> [StoreKey: StoreKey?] {
        var found: [StoreKey: StoreKey?] = [:]
        for key in keys { if let slot = index.slot(of: key) { found[key] = values.slots[slot] } }
        return found
    }

    @Test func noLimitKeepsNothing() {
        var index = SlotIndex(limit: 0)
        #expect(index.insert(StoreKey([1]), timestamp: 1, values: KeysBySlot()) == nil)
        #expect(index.find(StoreKey([1])) == nil && index.count == 0)
    }

    @Test func removeAllDropsEveryValueAndTheSlots() {
        var index = SlotIndex(limit: 4)
        let values = KeysBySlot()
        for i in 0..<4 {
            let key = StoreKey([UInt8(i)])
            values.slots[index.insert(key, timestamp: 0, values: values)!.slot] = key
        }
        index.removeAll(values: values)
        #expect(Set(values.dropped) == Set((0..<4).map { StoreKey([UInt8($0)]) }) && values.slots.isEmpty && values.mistakes.isEmpty)
        #expect(index.count == 0 && index.capacity == 0 && index.find(StoreKey([0])) == nil)
        // A store restoring rows empties its values before each: an empty index does nothing.
        let resizes = values.resizes
        index.removeAll(values: values)
        #expect(values.resizes == resizes && values.dropped.count == 4)
        #expect(index.insert(StoreKey([9]), timestamp: 0, values: values)!.isNew)
    }
}
