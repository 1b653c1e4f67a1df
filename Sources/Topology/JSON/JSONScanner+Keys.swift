extension JSONScanner {
    /// Flags the innermost object when a key repeats an earlier one, so lookups know whether
    /// they may start in the middle (Foundation's "first one wins" needs the earliest match).
    ///
    /// A 64-bit Bloom filter per object catches repeats cheaply; on a hit, small objects compare
    /// the key with their earlier keys exactly. Large objects (whose filter saturates) are
    /// flagged on any hit and checked exactly, once, by the first lookup that needs it.
    /// `count` is the token count including the key just scanned.
    @inline(__always) func noteKey(start: Int, length: Int, escaped: Bool, count: Int, depth: Int) {
        let top = depth &- 1
        let object = stack[top].index
        var mix = UInt64(truncatingIfNeeded: length)
        if length > 0 {
            mix |= UInt64(bytes[start]) &<< 8 | UInt64(bytes[start &+ length &- 1]) &<< 16 | UInt64(bytes[start &+ (length &>> 1)]) &<< 24
        }
        let bit: UInt64 = 1 &<< ((mix &* 0x9E37_79B9_7F4A_7C15) &>> 58)
        let seen = stack[top].keys
        stack[top].keys = seen | bit
        // An escaped key may equal an unescaped one with different bytes: assume the worst.
        guard escaped || seen & bit != 0 else { return }
        if escaped || tape[object].count > 16 || repeatsEarlierKey(of: object, start: start, length: length, last: count &- 1) {
            tape[object].flags |= JSONToken.mayHaveDuplicateKeys
        }
    }

    /// Whether the key just scanned (token `last`) equals an earlier unescaped key of `object`.
    private func repeatsEarlierKey(of object: Int, start: Int, length: Int, last: Int) -> Bool {
        var k = object &+ 1
        while k < last {
            let key = tape[k]
            if key.flags & JSONToken.escaped != 0 { return true }
            if Int(key.length) == length && JSONTapeReader.equal(bytes + Int(key.start), bytes + start, length) { return true }
            k = tape[k &+ 1].next(after: k &+ 1)
        }
        return false
    }
}
