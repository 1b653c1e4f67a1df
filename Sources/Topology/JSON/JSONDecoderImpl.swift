/// The `Decoder` handed to `init(from:)`. One instance is reused for the whole tree: decoding
/// a nested value moves `current` and pushes a key, then restores both (as Foundation does).
final class JSONDecoderImpl: Decoder, SingleValueDecodingContainer {
    struct Local {
        /// Tape index of the value this decoder stands for.
        var current: Int
        var path: [any CodingKey]
    }

    let shared: UnsafeMutablePointer<JSONDecodingShared>
    let reader: JSONTapeReader
    let local: UnsafeMutablePointer<Local>
    let userInfo: [CodingUserInfoKey: Any]
    /// Only the top-level decoder reuses containers; see `JSONContainerCache`.
    let cachesContainers: Bool
    let cache: UnsafeMutablePointer<JSONContainerCache>

    init(
        shared: UnsafeMutablePointer<JSONDecodingShared>, current: Int, path: [any CodingKey], userInfo: [CodingUserInfoKey: Any],
        cachesContainers: Bool = false
    ) {
        self.shared = shared
        reader = JSONTapeReader(shared: shared)
        self.userInfo = userInfo
        self.cachesContainers = cachesContainers
        local = .allocate(capacity: 1)
        local.initialize(to: Local(current: current, path: path))
        cache = .allocate(capacity: 1)
        cache.initialize(to: JSONContainerCache())
    }

    deinit {
        local.deinitialize(count: 1).deallocate()
        cache.pointee.deallocate()
        cache.deinitialize(count: 1).deallocate()
    }

    var codingPath: [any CodingKey] { local.pointee.path }
    var current: Int { local.pointee.current }
    @inline(__always) var tape: UnsafeMutablePointer<JSONToken> { shared.pointee.tape }

    /// A separate decoder for `index` at `path` (for `superDecoder` and nested containers,
    /// which must keep their own coding path).
    func child(at index: Int, path: [any CodingKey]) -> JSONDecoderImpl {
        let child = JSONDecoderImpl(shared: shared, current: index, path: path, userInfo: userInfo)
        shared.pointee.keepAlive.append(child)
        return child
    }

    /// A `null` token past the end of the tape, for `superDecoder` of a missing key.
    var nullIndex: Int { shared.pointee.nullIndex }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let index = current
        guard tape[index].kind == .object else { throw mismatch([String: Any].self, at: index) }
        return makeKeyedContainer(type, object: index)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let index = current
        guard tape[index].kind == .array else { throw mismatch([Any].self, at: index) }
        return JSONUnkeyedDecodingContainer(impl: self, array: index, depth: local.pointee.path.count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes a non-primitive value at `index`, with `key` appended to the coding path.
    func unwrap<T: Decodable>(_ type: T.Type, at index: Int, key: some CodingKey) throws -> T {
        let saved = local.pointee.current
        local.pointee.current = index
        local.pointee.path.append(key)
        defer {
            local.pointee.path.removeLast()
            local.pointee.current = saved
        }
        if Self.isFoundationValue(type) { return try read { r, i throws(JSONError) in try r.unwrapFoundationValue(type, at: i) } }
        return try T(from: self)
    }

    /// Runs `body` on this decoder's value, reporting errors at this decoder's coding path.
    @inline(__always) func read<T>(_ body: (JSONTapeReader, Int) throws(JSONError) -> T) throws(JSONError) -> T {
        do {
            return try body(reader, current)
        } catch {
            throw error.at(JSONError.render(codingPath))
        }
    }

    func mismatch(_ type: Any.Type, at index: Int) -> JSONError {
        reader.mismatch(type, at: index).at(JSONError.render(codingPath))
    }
}
