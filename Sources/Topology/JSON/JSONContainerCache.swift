/// Reuses keyed containers across objects (for decoding and encoding alike).
///
/// Creating a `KeyedDecodingContainer<Key>` looks up the generic metadata of its box and of
/// our container type, plus a witness table: about 1,300 instructions, a fifth of decoding a
/// small event, plus the box's allocation. The top-level decoder (and encoder) therefore keeps,
/// per (nesting depth, key type), one box whose container reads the object's index from a
/// slot, and re-points the slot.
///
/// That is safe because, on the top-level coder, at most one object per depth is being
/// worked on at a time: a sibling's `init(from:)`/`encode(to:)` has returned before the next
/// one starts. Coders that can break that rule (`superDecoder()`/`superEncoder()`, nested
/// containers, whose containers may be alive side by side at one depth) never use the cache.
/// A container kept past the call that received it is unsupported anyway.
struct JSONContainerCache {
    struct Entry {
        let depth: Int
        let keyType: ObjectIdentifier
        /// The `KeyedDecodingContainer<Key>`'s only stored property, its box.
        let box: AnyObject
        let slot: UnsafeMutablePointer<Int>
        /// Encoder only: the keys rendered as `"key":`.
        let keyBytes: JSONKeyBytes?
    }

    /// Bounded so that lookups (a linear scan) stay cheap for schemas with many types.
    static let capacity = 32
    private(set) var entries: [Entry] = []

    @inline(__always) func entry(depth: Int, keyType: ObjectIdentifier) -> Entry? {
        for entry in entries where entry.keyType == keyType && entry.depth == depth { return entry }
        return nil
    }

    mutating func insert(_ entry: Entry) -> Bool {
        guard entries.count < Self.capacity else { return false }
        entries.append(entry)
        return true
    }

    func deallocate() {
        for entry in entries {
            entry.slot.deallocate()
            entry.keyBytes?.deallocate()
        }
    }
}

extension JSONDecoderImpl {
    /// A keyed container for the object at `index`, reused from the cache when possible.
    @inline(__always) func makeKeyedContainer<Key: CodingKey>(_ type: Key.Type, object index: Int) -> KeyedDecodingContainer<Key> {
        let depth = local.pointee.path.count
        guard cachesContainers else {
            return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(impl: self, object: index, slot: nil, depth: depth))
        }
        let keyType = ObjectIdentifier(type)
        if let entry = cache.pointee.entry(depth: depth, keyType: keyType) {
            entry.slot.pointee = index
            return unsafeBitCast(entry.box, to: KeyedDecodingContainer<Key>.self)
        }
        guard cache.pointee.entries.count < JSONContainerCache.capacity else {
            return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(impl: self, object: index, slot: nil, depth: depth))
        }
        let slot = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        slot.initialize(to: index)
        let container = KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(impl: self, object: index, slot: slot, depth: depth))
        _ = cache.pointee.insert(.init(depth: depth, keyType: keyType, box: unsafeBitCast(container, to: AnyObject.self), slot: slot, keyBytes: nil))
        return container
    }
}

extension JSONEncoderImpl {
    /// A keyed container for the object `node`, reused from the cache when possible.
    @inline(__always) func makeKeyedContainer<Key: CodingKey>(_ type: Key.Type, node: Int) -> KeyedEncodingContainer<Key> {
        let depth = local.pointee.path.count
        guard cachesContainers else {
            return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(impl: self, node: node, slot: nil, keyBytes: nil, depth: depth))
        }
        let keyType = ObjectIdentifier(type)
        if let entry = cache.pointee.entry(depth: depth, keyType: keyType) {
            entry.slot.pointee = node
            return unsafeBitCast(entry.box, to: KeyedEncodingContainer<Key>.self)
        }
        guard cache.pointee.entries.count < JSONContainerCache.capacity else {
            return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(impl: self, node: node, slot: nil, keyBytes: nil, depth: depth))
        }
        let slot = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        slot.initialize(to: node)
        let keyBytes = JSONKeyBytes.make(for: type)
        let container = KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(impl: self, node: node, slot: slot, keyBytes: keyBytes, depth: depth))
        _ = cache.pointee.insert(.init(depth: depth, keyType: keyType, box: unsafeBitCast(container, to: AnyObject.self), slot: slot, keyBytes: keyBytes))
        return container
    }
}
