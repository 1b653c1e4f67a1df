import SluiceTopology

/// The records of a left or outer stream-stream join that have no partner yet (Kafka Streams'
/// outer-join store of KIP-633's spurious-result fix): each is emitted joined with `nil` once its
/// window has closed, unless a partner arrives first and removes it.
///
/// Layout, on a key-value `StateStore`: `[time][side][key length][key]` → the side's values at that
/// time (as in `JoinValueList`), so entries come out oldest first.
final class OuterJoinBuffer<K, VL, VR> {
    enum Side: UInt8 {
        case left = 0
        case right = 1
    }

    let store: StateStore
    private let keySerde: any Serde<K>
    private let leftSerde: any Serde<VL>
    private let rightSerde: any Serde<VR>
    /// The oldest time held, once known (`nil`: unknown, e.g. after a restore): most records close
    /// no window, and this lets them skip the scan.
    private var earliest: Int64?

    init(_ store: StateStore, key: any Serde<K>, left: any Serde<VL>, right: any Serde<VR>) {
        self.store = store
        self.keySerde = key
        self.leftSerde = left
        self.rightSerde = right
    }

    private func entryKey(_ side: Side, time: Int64, keyPrefix: [UInt8]) -> [UInt8] {
        var k: [UInt8] = []
        k.reserveCapacity(keyPrefix.count + 9)
        StoreEncoding.appendTime(time, to: &k)
        k.append(side.rawValue)
        k.append(contentsOf: keyPrefix.dropFirst())
        return k
    }

    func holdLeft(_ keyPrefix: [UInt8], time: Int64, _ value: VL) throws {
        try hold(.left, keyPrefix, time) { try JoinValueList.append(value, serde: leftSerde, to: &$0) }
    }

    func holdRight(_ keyPrefix: [UInt8], time: Int64, _ value: VR) throws {
        try hold(.right, keyPrefix, time) { try JoinValueList.append(value, serde: rightSerde, to: &$0) }
    }

    private func hold(_ side: Side, _ keyPrefix: [UInt8], _ time: Int64, _ append: (inout [UInt8]) throws -> Void) throws {
        let key = entryKey(side, time: time, keyPrefix: keyPrefix)
        var entry = try store.get(key) ?? []
        try append(&entry)
        try store.put(key, entry)
        if let e = earliest, time < e { earliest = time }
    }

    /// A partner arrived for the side's records of the key at `time`: they will never be emitted alone.
    func remove(_ side: Side, _ keyPrefix: [UInt8], time: Int64) throws {
        let key = entryKey(side, time: time, keyPrefix: keyPrefix)
        if try store.get(key) != nil { try store.put(key, nil) }
    }

    /// Removes and returns, oldest first, the records whose windows `isClosed` says have closed.
    /// Stops at the first time at which `isClosed` holds for neither side.
    func release(
        streamTime: Int64, isClosed: (Side, Int64) -> Bool
    ) throws -> [(key: K, time: Int64, left: VL?, right: VR?)] {
        if let e = earliest, !isClosed(.left, e) && !isClosed(.right, e) { return [] }
        var released: [(key: K, time: Int64, left: VL?, right: VR?)] = []
        var done: [[UInt8]] = []
        var failure: (any Error)?
        var nextEarliest: Int64?
        try store.scan(from: nil, to: nil) { key, value in
            let time = StoreEncoding.time(key, at: 0)
            guard let side = Side(rawValue: key[8]) else { return true }
            let leftClosed = isClosed(.left, time)
            let rightClosed = isClosed(.right, time)
            if !leftClosed && !rightClosed {
                nextEarliest = nextEarliest.map { min($0, time) } ?? time
                return false
            }
            guard side == .left ? leftClosed : rightClosed else {
                nextEarliest = nextEarliest.map { min($0, time) } ?? time
                return true
            }
            do {
                let k = try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: key[13...]))
                switch side {
                case .left: try JoinValueList.forEach(value, serde: leftSerde) { released.append((k, time, $0, nil)) }
                case .right: try JoinValueList.forEach(value, serde: rightSerde) { released.append((k, time, nil, $0)) }
                }
                done.append(Array(key))
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        for k in done { try store.put(k, nil) }
        earliest = nextEarliest ?? .max
        return released
    }
}
