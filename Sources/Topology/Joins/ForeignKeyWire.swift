/// A 128-bit digest of a serialized left value, carried by foreign-key subscriptions and their
/// responses so that a response to a value the left side has since replaced is dropped (Kafka
/// Streams hashes with murmur3 for the same purpose). Stable across processes and versions.
public struct ValueHash: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The digest of `bytes`: two independently seeded 64-bit FNV-1a passes, each finished with
    /// splitmix64's avalanche so that small changes flip about half of the bits.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> ValueHash {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x84222325_cbf29ce4 ^ UInt64(bytes.count)
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        return ValueHash(high: avalanche(a), low: avalanche(b))
    }

    public static func of(_ bytes: [UInt8]) -> ValueHash { bytes.withUnsafeBytes { of($0) } }

    private static func avalanche(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    func append(to buffer: inout [UInt8]) {
        ByteOrder.appendInt64(Int64(bitPattern: high), to: &buffer)
        ByteOrder.appendInt64(Int64(bitPattern: low), to: &buffer)
    }

    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> ValueHash {
        ValueHash(
            high: UInt64(bitPattern: ByteOrder.int64(bytes, at: offset)), low: UInt64(bitPattern: ByteOrder.int64(bytes, at: offset + 8)))
    }
}

/// What a left row asks of the right side of a foreign-key join (Kafka Streams' `SubscriptionWrapper`).
public struct Subscription<Key> {
    public enum Instruction: UInt8, Sendable {
        /// The left row is gone: forget it, and answer so the left side deletes its result.
        case deleteAndPropagate = 0
        /// The left row moved to another foreign key: forget it here, without an answer (the new
        /// foreign key answers).
        case deleteWithoutPropagating = 1
        /// Remember the left row and answer with the right value, or with `nil` when there is none.
        case propagate = 2
    }

    /// The left row's key.
    public var primaryKey: Key
    /// The digest of the left value the subscription is for; `nil` when the row was deleted.
    public var hash: ValueHash?
    public var instruction: Instruction

    public init(primaryKey: Key, hash: ValueHash?, instruction: Instruction) {
        self.primaryKey = primaryKey
        self.hash = hash
        self.instruction = instruction
    }
}

/// The right side's answer to a subscription: the right value (or `nil`) for the left value `hash`.
public struct SubscriptionResponse<Value> {
    public var hash: ValueHash?
    public var value: Value?

    public init(hash: ValueHash?, value: Value?) {
        self.hash = hash
        self.value = value
    }
}

/// A subscription on the wire: a version byte, the instruction, a flag and the hash, then the
/// primary key's bytes.
public struct SubscriptionSerde<Key>: Serde {
    let keySerde: any Serde<Key>
    public init(_ keySerde: any Serde<Key>) { self.keySerde = keySerde }

    public func serialize(_ s: Subscription<Key>, into buffer: inout [UInt8]) throws -> Bool {
        buffer.append(0)
        buffer.append(s.instruction.rawValue)
        buffer.append(s.hash == nil ? 0 : 1)
        s.hash?.append(to: &buffer)
        guard try keySerde.serialize(s.primaryKey, into: &buffer) else { throw SerdeError("a subscription needs a primary key") }
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> Subscription<Key> {
        guard let bytes else { throw SerdeError.null }
        guard bytes.count >= 3, bytes[0] == 0, let instruction = Subscription<Key>.Instruction(rawValue: bytes[1]) else {
            throw SerdeError("not a subscription of version 0")
        }
        var offset = 3
        var hash: ValueHash?
        if bytes[2] == 1 {
            guard bytes.count >= 19 else { throw SerdeError("a subscription is truncated") }
            hash = ValueHash.read(bytes, at: 3)
            offset = 19
        }
        let key = try keySerde.deserialize(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        return Subscription(primaryKey: key, hash: hash, instruction: instruction)
    }
}

/// A response on the wire: a version byte, flags (bit 0: a hash follows, bit 1: a value follows),
/// the hash, then the value's bytes.
public struct SubscriptionResponseSerde<Value>: Serde {
    let valueSerde: any Serde<Value>
    public init(_ valueSerde: any Serde<Value>) { self.valueSerde = valueSerde }

    public func serialize(_ r: SubscriptionResponse<Value>, into buffer: inout [UInt8]) throws -> Bool {
        buffer.append(0)
        let flagsAt = buffer.count
        buffer.append(0)
        var flags: UInt8 = 0
        if let hash = r.hash {
            flags |= 1
            hash.append(to: &buffer)
        }
        if let value = r.value, try valueSerde.serialize(value, into: &buffer) { flags |= 2 }
        buffer[flagsAt] = flags
        return true
    }

    public func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> SubscriptionResponse<Value> {
        guard let bytes else { throw SerdeError.null }
        guard bytes.count >= 2, bytes[0] == 0 else { throw SerdeError("not a subscription response of version 0") }
        let flags = bytes[1]
        var offset = 2
        var hash: ValueHash?
        if flags & 1 != 0 {
            guard bytes.count >= 18 else { throw SerdeError("a subscription response is truncated") }
            hash = ValueHash.read(bytes, at: 2)
            offset = 18
        }
        let value = flags & 2 != 0 ? try valueSerde.deserialize(UnsafeRawBufferPointer(rebasing: bytes[offset...])) : nil
        return SubscriptionResponse(hash: hash, value: value)
    }
}
