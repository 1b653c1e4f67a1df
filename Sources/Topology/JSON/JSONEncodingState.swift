/// One value of the tree an encode builds before writing it out.
///
/// Foundation allows containers to be filled in any order (a nested container may be written
/// to after its parent moved on, `superEncoder()` fills in later), so values go into a tree
/// first. Scalars are rendered to bytes immediately; an object member stores `"key":` and its
/// scalar text contiguously, so writing it out is one copy.
struct JSONNode {
    enum Kind: UInt8 { case pending, object, array, scalar }

    var kind: Kind
    /// Bytes in the arena: the rendered `"key":` (if a member), then the scalar text (if any).
    var start: UInt32
    var keyLength: UInt32 = 0
    var length: UInt32 = 0
    var firstChild: Int32 = -1
    var lastChild: Int32 = -1
    var next: Int32 = -1
    var count: Int32 = 0
    /// object: a 64-bit Bloom filter of its members' keys, to find repeated keys cheaply.
    var keyFilter: UInt64 = 0
}

/// The arena one top-level encode builds; reused across calls (kept by ``FastJSONEncoder``)
/// and shared by all `Encoder`s of that call. Behind a pointer: no exclusivity checks.
struct JSONEncodingState {
    var nodes: [JSONNode] = []
    var bytes = JSONByteBuffer()
    /// The compact JSON of the last encode, before it is copied to the caller's buffer.
    var output = JSONByteBuffer()
    /// The first misuse Foundation would trap on (e.g. two values in one single-value
    /// container); reported when the top-level encode returns, since `container(keyedBy:)`
    /// cannot throw.
    var misuse: JSONError?
    /// Scratch stack for writing the tree out without recursion.
    var stack: [Int32] = []
    /// Encoders made for nested containers and `superEncoder`. Containers reference their
    /// encoder without retaining it (so that copying them is free); this keeps those alive
    /// until the top-level encode returns.
    var keepAlive: [JSONEncoderImpl] = []
    /// Hashes of the keys of objects too large for their Bloom filter, by node index.
    var largeObjectKeys: [Int: Set<Int>] = [:]

    mutating func reset() {
        nodes.removeAll(keepingCapacity: true)
        bytes.removeAll()
        misuse = nil
        if !largeObjectKeys.isEmpty { largeObjectKeys.removeAll(keepingCapacity: true) }
        nodes.append(JSONNode(kind: .pending, start: 0))
    }

    /// Appends a child to the container `parent` with its key (if any) rendered, and returns it.
    /// A key the object already has reuses that member, so the last value wins, as in
    /// Foundation (whose decoder would otherwise read the first of two equal keys).
    @inline(__always) mutating func appendChild(of parent: Int, key: String?) -> Int {
        let start = bytes.count
        if let key {
            JSONWriter.appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
        return link(parent: parent, start: start, isMember: key != nil)
    }

    /// `appendChild(of:key:)` for a key already rendered as `"key":`.
    @inline(__always) mutating func appendChild(of parent: Int, renderedKey: UnsafeBufferPointer<UInt8>) -> Int {
        let start = bytes.count
        bytes.append(renderedKey.baseAddress!, count: renderedKey.count)
        return link(parent: parent, start: start, isMember: true)
    }

    /// Adds a node whose key (if a member) was just rendered at `start`, or reuses the member
    /// with the same key.
    @inline(__always) private mutating func link(parent: Int, start: Int, isMember: Bool) -> Int {
        let keyLength = UInt32(truncatingIfNeeded: bytes.count &- start)
        let node = JSONNode(kind: .pending, start: UInt32(truncatingIfNeeded: start), keyLength: keyLength, length: keyLength)
        if isMember, let existing = existingMember(of: parent, keyStart: start, keyLength: Int(keyLength)) {
            nodes[existing] = JSONNode(kind: .pending, start: node.start, keyLength: keyLength, length: keyLength, next: nodes[existing].next)
            return existing
        }
        let index = nodes.count
        nodes.append(node)
        let last = nodes[parent].lastChild
        if last < 0 {
            nodes[parent].firstChild = Int32(truncatingIfNeeded: index)
        } else {
            nodes[Int(last)].next = Int32(truncatingIfNeeded: index)
        }
        nodes[parent].lastChild = Int32(truncatingIfNeeded: index)
        nodes[parent].count &+= 1
        return index
    }

    /// Makes sure the scalar text written next directly follows `node`'s key: a node handed out
    /// earlier (by `superEncoder()`) may be filled after other values were written.
    @inline(__always) mutating func beginScalar(_ node: Int) {
        let start = Int(nodes[node].start)
        let keyEnd = start &+ Int(nodes[node].keyLength)
        guard keyEnd != bytes.count else { return }
        nodes[node].start = UInt32(truncatingIfNeeded: bytes.count)
        bytes.appendCopy(from: start, count: keyEnd &- start)
    }

    /// Writes a scalar into `node` via `write`, which appends its text to the arena.
    @inline(__always) mutating func scalar(into node: Int, _ write: (inout JSONByteBuffer) throws(JSONError) -> Void) throws(JSONError) {
        try write(&bytes)
        finishScalar(node)
    }

    /// Marks `node` as a scalar whose text is everything appended to `bytes` since the node
    /// was created (its key and text must be contiguous, so call this right after writing).
    @inline(__always) mutating func finishScalar(_ node: Int) {
        nodes[node].kind = .scalar
        nodes[node].length = UInt32(truncatingIfNeeded: bytes.count) &- nodes[node].start
    }

    func deallocate() {
        bytes.deallocate()
        output.deallocate()
    }

    /// Writes the tree rooted at `root` as compact JSON to `output`.
    mutating func write(_ root: Int) {
        output.removeAll()
        var out = output
        defer { output = out }
        stack.removeAll(keepingCapacity: true)
        var n = root
        descend: while true {
            let node = nodes[n]
            out.append(bytes.base + Int(node.start), count: Int(node.length))
            switch node.kind {
            case .scalar: break
            case .pending: JSONWriter.appendStatic("{}", to: &out)  // Foundation writes {} for a value that encoded nothing
            case .object, .array:
                out.append(node.kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
                if node.firstChild >= 0 {
                    stack.append(Int32(truncatingIfNeeded: n))
                    n = Int(node.firstChild)
                    continue descend
                }
                out.append(node.kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            }
            // `n` is complete: continue with its next sibling or close its parents.
            while let parent = stack.last {
                let next = nodes[n].next
                if next >= 0 {
                    out.append(UInt8(ascii: ","))
                    n = Int(next)
                    continue descend
                }
                stack.removeLast()
                n = Int(parent)
                out.append(nodes[n].kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            }
            return
        }
    }
}
