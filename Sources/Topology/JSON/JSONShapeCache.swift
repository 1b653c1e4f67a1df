/// A decoder's last document shape per decoded type (`JSONShape`), for the few types one decoder
/// reads (a stream thread's serdes share one). A type whose documents keep changing shape is
/// tried ever more rarely: after its `n`th miss in a row it skips `n - 1` documents, and it
/// learns a new shape only at the 1st, 2nd, 4th, 8th... miss, so misses cost little in the long
/// run. When every slot is taken, a new type takes only a slot whose type has not been decoded
/// for a while: a thread reading more types than there are slots, in turn, would otherwise
/// evict and rebuild a shape on every decode.
struct JSONShapeCache {
    private struct Slot {
        var type: ObjectIdentifier
        var shape: JSONShape?
        var misses = 0
        var skip = 0
        /// `decodes` when this type was last decoded.
        var used: Int
    }

    static let capacity = 8
    /// Decodes since a slot's type was last decoded before a new type may take the slot.
    static let idleBeforeEviction = 256
    // Raw storage: an array would check its uniqueness and bounds on every update.
    private let slots = UnsafeMutablePointer<Slot>.allocate(capacity: Self.capacity)
    private var count = 0
    /// Decodes so far: the clock of `Slot.used`.
    private var decodes = 0

    /// Frees the shapes and the slots.
    func deallocate() {
        for i in 0..<count { slots[i].shape?.deallocate() }
        slots.deinitialize(count: count).deallocate()
    }

    /// The token count of `bytes`' tape, written to `tape` (room for `capacity` tokens), if it
    /// has its type's last shape; `nil` if not (the caller scans byte by byte, then calls `learn`).
    mutating func scan(
        _ type: ObjectIdentifier, _ bytes: UnsafePointer<UInt8>, _ count: Int, into tape: UnsafeMutablePointer<JSONToken>,
        capacity: Int
    ) -> Int? {
        decodes &+= 1
        guard let slot = slot(of: type) else { return nil }
        slot.pointee.used = decodes
        if slot.pointee.skip > 0 {
            slot.pointee.skip &-= 1
            return nil
        }
        guard let shape = slot.pointee.shape, shape.tokenCount <= capacity, shape.scan(bytes, count, into: tape) else {
            slot.pointee.misses &+= 1
            slot.pointee.skip = min(slot.pointee.misses &- 1, 1023)
            return nil
        }
        slot.pointee.misses = 0
        return shape.tokenCount
    }

    /// After a byte scan of a document of `type` (and `scan` for it): keeps its shape, when the
    /// type's misses call for a new one.
    mutating func learn(
        _ type: ObjectIdentifier, _ bytes: UnsafePointer<UInt8>, _ count: Int, tape: UnsafePointer<JSONToken>, tokenCount: Int
    ) {
        let slot: UnsafeMutablePointer<Slot>
        if let found = self.slot(of: type) {
            let misses = found.pointee.misses
            guard found.pointee.skip == 0, found.pointee.shape == nil || misses & (misses &- 1) == 0 else { return }
            slot = found
            slot.pointee.shape?.deallocate()
        } else if self.count < Self.capacity {
            slot = slots + self.count
            slot.initialize(to: Slot(type: type, used: decodes))
            self.count += 1
        } else {
            var oldest = slots
            for i in 1..<Self.capacity where slots[i].used < oldest.pointee.used { oldest = slots + i }
            guard decodes &- oldest.pointee.used >= Self.idleBeforeEviction else { return }
            slot = oldest
            slot.pointee.shape?.deallocate()
            slot.pointee = Slot(type: type, used: decodes)
        }
        slot.pointee.shape = JSONShape(bytes: bytes, count: count, tape: tape, tokenCount: tokenCount)
    }

    @inline(__always) private func slot(of type: ObjectIdentifier) -> UnsafeMutablePointer<Slot>? {
        for i in 0..<count where slots[i].type == type { return slots + i }
        return nil
    }
}
