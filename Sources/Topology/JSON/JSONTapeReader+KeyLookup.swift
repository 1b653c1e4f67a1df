/// Finding an object member by key, comparing the key's UTF-8 with the raw input bytes so
/// that no String is created per lookup.
extension JSONTapeReader {
    /// The tape index of the value for `key` in the object at `object`, or `nil`.
    @inline(__always) func valueIndex<K: CodingKey>(for key: K, in object: Int) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { utf8 in valueIndex(forUTF8: utf8, in: object) }
    }

    /// The tape index of the value for the key spelled by `utf8`, or `nil`. Inlinable, so that a
    /// hand-written reader in another module compares each constant key with loads of its own size.
    @inlinable @inline(__always) func valueIndex(forUTF8 utf8: UnsafeBufferPointer<UInt8>, in object: Int) -> Int? {
        // Members are usually read in input order: try the key after the previous match
        // before paying for a full `find`. (Only where keys are known to be distinct: with
        // duplicates the first occurrence wins, see `find`.)
        let token = tape[object]
        if token.flags & JSONToken.mayHaveDuplicateKeys == 0 && token.hint != 0 {
            let k = object &+ Int(token.hint)
            if k < Int(token.length) && matches(k, utf8) {
                return remember(object, tape[k &+ 1].next(after: k &+ 1), k)
            }
        }
        return find(utf8, in: object)
    }

    /// Duplicate keys resolve to the first occurrence, as in Foundation's `JSONDecoder`. Objects
    /// whose keys are known distinct are searched from where their previous lookup stopped, so
    /// decoding members in input order costs one comparison per key.
    @usableFromInline func find(_ key: UnsafeBufferPointer<UInt8>, in object: Int) -> Int? {
        let tape = tape
        let token = tape[object]
        let end = Int(token.length)
        let first = object &+ 1
        if token.flags & JSONToken.mayHaveDuplicateKeys != 0 && !resolveDuplicateFlag(of: object) {
            var k = first
            while k < end {
                if matches(k, key) { return k &+ 1 }
                k = tape[k &+ 1].next(after: k &+ 1)
            }
            return nil
        }
        let start = token.hint != 0 ? object &+ Int(token.hint) : first
        var k = start
        while k < end {
            let next = tape[k &+ 1].next(after: k &+ 1)
            if matches(k, key) { return remember(object, next, k) }
            k = next
        }
        k = first
        while k < start {
            let next = tape[k &+ 1].next(after: k &+ 1)
            if matches(k, key) { return remember(object, next, k) }
            k = next
        }
        return nil
    }

    @inlinable @inline(__always) func remember(_ object: Int, _ next: Int, _ key: Int) -> Int {
        let offset = next &- object
        tape[object].hint = offset <= Int(UInt16.max) ? UInt16(truncatingIfNeeded: offset) : 0
        return key &+ 1
    }

    @inlinable @inline(__always) func matches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tape[index]
        if token.flags & JSONToken.escaped != 0 { return escapedKey(at: index, equals: key) }
        guard Int(token.length) == key.count else { return false }
        return Self.equal(input + Int(token.start), key.baseAddress, key.count)
    }

    /// Byte equality for short runs: keys are mostly under 8 bytes, where two overlapping
    /// loads beat a byte loop.
    @inlinable @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard let b else { return count == 0 }
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        if count >= 8 {
            var i = 0
            while count &- i > 8 {
                if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i &+= 8
            }
            let last = count &- 8
            return ra.loadUnaligned(fromByteOffset: last, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: last, as: UInt64.self)
        }
        if count >= 4 {
            let last = count &- 4
            return ra.loadUnaligned(as: UInt32.self) == rb.loadUnaligned(as: UInt32.self)
                && ra.loadUnaligned(fromByteOffset: last, as: UInt32.self) == rb.loadUnaligned(fromByteOffset: last, as: UInt32.self)
        }
        if count >= 2 {
            let last = count &- 2
            return ra.loadUnaligned(as: UInt16.self) == rb.loadUnaligned(as: UInt16.self)
                && ra.loadUnaligned(fromByteOffset: last, as: UInt16.self) == rb.loadUnaligned(fromByteOffset: last, as: UInt16.self)
        }
        return count == 0 || a[0] == b[0]
    }

    @usableFromInline func escapedKey(at index: Int, equals key: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tape[index]
        let scratch = shared.pointee.scratch
        let length = JSONStringDecoding.unescape(input + Int(token.start), Int(token.length), into: scratch)
        return length == key.count && Self.equal(UnsafePointer(scratch), key.baseAddress, length)
    }

    /// For an object flagged as possibly having duplicate keys, checks once whether it really
    /// has any (the flag is a Bloom-filter guess) and clears the flag if not, so large objects
    /// such as `[String: T]` dictionaries do not fall back to quadratic lookups. Small objects
    /// are not worth checking. Returns whether the object is known to have distinct keys.
    private func resolveDuplicateFlag(of object: Int) -> Bool {
        let token = tape[object]
        guard token.count > 8, token.flags & JSONToken.duplicatesChecked == 0 else { return false }
        tape[object].flags |= JSONToken.duplicatesChecked
        var seen = Set<String>(minimumCapacity: Int(token.count))
        var k = object &+ 1
        while k < Int(token.length) {
            guard (try? seen.insert(decodeString(at: k)).inserted) == true else { return false }
            k = tape[k &+ 1].next(after: k &+ 1)
        }
        tape[object].flags &= ~JSONToken.mayHaveDuplicateKeys
        return true
    }
}
