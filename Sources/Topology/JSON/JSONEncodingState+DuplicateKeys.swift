/// Finding an object member by its rendered key, so that encoding a key twice replaces the
/// value (Foundation's encoder keeps one value per key).
extension JSONEncodingState {
    /// Above this many members the Bloom filter is mostly ones; a hash set takes over.
    static let bloomLimit: Int32 = 48

    /// The member of `object` whose rendered key equals `bytes[keyStart..<keyStart+keyLength]`.
    @inline(__always) mutating func existingMember(of object: Int, keyStart: Int, keyLength: Int) -> Int? {
        guard nodes[object].count > 0 else {
            nodes[object].keyFilter = filterBit(keyStart, keyLength)
            return nil
        }
        if nodes[object].count < Self.bloomLimit {
            let bit = filterBit(keyStart, keyLength)
            let seen = nodes[object].keyFilter
            nodes[object].keyFilter = seen | bit
            return seen & bit == 0 ? nil : scanMembers(of: object, keyStart: keyStart, keyLength: keyLength)
        }
        if largeObjectKeys[object] == nil {
            var hashes = Set<Int>(minimumCapacity: Int(nodes[object].count) * 2)
            var child = Int(nodes[object].firstChild)
            while child >= 0 {
                hashes.insert(fullHash(Int(nodes[child].start), Int(nodes[child].keyLength)))
                child = Int(nodes[child].next)
            }
            largeObjectKeys[object] = hashes
        }
        let inserted = largeObjectKeys[object]!.insert(fullHash(keyStart, keyLength)).inserted
        return inserted ? nil : scanMembers(of: object, keyStart: keyStart, keyLength: keyLength)
    }

    private func scanMembers(of object: Int, keyStart: Int, keyLength: Int) -> Int? {
        var child = Int(nodes[object].firstChild)
        while child >= 0 {
            let node = nodes[child]
            if Int(node.keyLength) == keyLength && sameBytes(Int(node.start), keyStart, keyLength) { return child }
            child = Int(node.next)
        }
        return nil
    }

    private func sameBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        JSONTapeReader.equal(bytes.base + a, bytes.base + b, count)
    }

    @inline(__always) private func filterBit(_ start: Int, _ length: Int) -> UInt64 {
        // The rendered key has at least its two quotes and the colon, so these reads are in bounds.
        let mix = UInt64(truncatingIfNeeded: length) | UInt64(bytes[start &+ 1]) &<< 8
            | UInt64(bytes[start &+ length &- 3]) &<< 16 | UInt64(bytes[start &+ (length &>> 1)]) &<< 24
        return 1 &<< ((mix &* 0x9E37_79B9_7F4A_7C15) &>> 58)
    }

    private func fullHash(_ start: Int, _ length: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(start: bytes.base + start, count: length))
        return hasher.finalize()
    }
}
