/// The `Encoder` handed to `encode(to:)`. One instance serves a whole tree: encoding a nested
/// value moves `node` and pushes a key, then restores both.
final class JSONEncoderImpl: Encoder, SingleValueEncodingContainer {
    struct Local {
        /// The node this encoder writes into.
        var node: Int
        var path: [any CodingKey]
    }

    let state: UnsafeMutablePointer<JSONEncodingState>
    let local: UnsafeMutablePointer<Local>
    let userInfo: [CodingUserInfoKey: Any]
    /// Only the top-level encoder reuses containers; see `JSONContainerCache`.
    let cachesContainers: Bool
    let cache: UnsafeMutablePointer<JSONContainerCache>

    init(
        state: UnsafeMutablePointer<JSONEncodingState>, node: Int, path: [any CodingKey], userInfo: [CodingUserInfoKey: Any],
        cachesContainers: Bool = false
    ) {
        self.state = state
        self.userInfo = userInfo
        self.cachesContainers = cachesContainers
        local = .allocate(capacity: 1)
        local.initialize(to: Local(node: node, path: path))
        cache = .allocate(capacity: 1)
        cache.initialize(to: JSONContainerCache())
    }

    deinit {
        local.deinitialize(count: 1).deallocate()
        cache.pointee.deallocate()
        cache.deinitialize(count: 1).deallocate()
    }

    var codingPath: [any CodingKey] { local.pointee.path }
    var node: Int { local.pointee.node }

    /// A separate encoder for `node` (for `superEncoder`, which the caller fills in later).
    func child(at node: Int, path: [any CodingKey]) -> JSONEncoderImpl {
        let child = JSONEncoderImpl(state: state, node: node, path: path, userInfo: userInfo)
        state.pointee.keepAlive.append(child)
        return child
    }

    /// Turns the pending `node` into a container of `kind`; asking again for the same kind
    /// returns the same container (Foundation merges them).
    func open(_ node: Int, as kind: JSONNode.Kind) {
        let current = state.pointee.nodes[node].kind
        if current == .pending {
            state.pointee.nodes[node].kind = kind
        } else if current != kind {
            misuse("asked for a \(kind == .object ? "keyed" : "unkeyed") container after encoding another kind of value")
        }
    }

    func misuse(_ reason: String) {
        guard state.pointee.misuse == nil else { return }
        state.pointee.misuse = JSONError(code: .invalidValue, offset: nil, codingPath: JSONError.render(codingPath), reason: reason)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(node, as: .object)
        return makeKeyedContainer(type, node: node)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(node, as: .array)
        return JSONUnkeyedEncodingContainer(impl: self, node: node, depth: local.pointee.path.count)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Encodes `value` into the pending `child`, with `key` appended to the coding path.
    func encode<T: Encodable>(_ value: T, into child: Int, key: any CodingKey) throws {
        let saved = local.pointee.node
        local.pointee.node = child
        local.pointee.path.append(key)
        defer {
            local.pointee.path.removeLast()
            local.pointee.node = saved
        }
        try encodeHere(value)
    }

    /// Encodes `value` into this encoder's own node, handling Foundation's special types.
    func encodeHere<T: Encodable>(_ value: T) throws {
        if try encodeFoundationValue(value) { return }
        try value.encode(to: self)
    }

    /// Writes a scalar into `node` via `write`, which appends its text to the arena.
    @inline(__always) func scalar(into node: Int, _ write: (inout JSONByteBuffer) throws(JSONError) -> Void) throws(JSONError) {
        try state.pointee.scalar(into: node, write)
    }

    /// Foundation's error for NaN and infinities; `depth` is the container's path length.
    func nonFinite(_ value: some BinaryFloatingPoint, key: (any CodingKey)?, depth: Int? = nil) -> JSONError {
        let path = Array(codingPath.prefix(depth ?? codingPath.count))
        return JSONError(
            code: .invalidValue, offset: nil, codingPath: JSONError.render(path, appending: key),
            reason: "unable to encode \(type(of: value)).\(value.isNaN ? "nan" : value < 0 ? "-infinity" : "infinity") directly in JSON")
    }
}
