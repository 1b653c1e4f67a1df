/// Manually managed, reusable storage for the token tape and the scanner's container stack.
///
/// A plain `[JSONToken]` would re-check uniqueness and bounds on every append in the scanner's
/// inner loop; this buffer only grows (doubling) and is freed with its owner.
final class JSONTape {
    // Owned by one decoder, used on its thread: no run-time exclusivity checks per record.
    @exclusivity(unchecked) private(set) var tokens: UnsafeMutablePointer<JSONToken>
    @exclusivity(unchecked) private(set) var capacity: Int
    /// Number of valid tokens after the last scan (excluding the trailing `null` sentinel).
    @exclusivity(unchecked) var count = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        tokens = .allocate(capacity: capacity)
    }

    deinit { tokens.deallocate() }

    /// Makes room for at least `needed` tokens, keeping the existing ones.
    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<JSONToken>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: tokens, count: count)
        tokens.deallocate()
        tokens = grown
        capacity = newCapacity
    }
}
