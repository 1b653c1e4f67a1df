/// One entry of the flat token tape the scanner builds and the decoder walks.
///
/// 16 bytes, so the tape for a 200-byte event fits in a few cache lines. Offsets are 32-bit,
/// which is why inputs are limited to 4 GiB.
@usableFromInline struct JSONToken {
    @usableFromInline enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    @usableFromInline var kind: Kind
    /// See the `static let` flags below; which apply depends on `kind`.
    @usableFromInline var flags: UInt8
    /// object: where the next key lookup should look first, as an offset from the object's own
    /// index (1, its first key, until a lookup moves it past the key it found; 0 if too far to
    /// hold). Kept per object, in bytes the layout pads anyway, so that in-order reads find each
    /// key on the first comparison even after a nested object's lookups.
    @usableFromInline var hint: UInt16 = 1
    /// string: first byte after the opening quote; number: first byte; container: the bracket.
    @usableFromInline var start: UInt32
    /// string/number: byte length (raw, escapes not resolved); container: tape index just past its end.
    @usableFromInline var length: UInt32
    /// container: number of elements (an object's members count once, not key and value).
    var count: UInt32

    /// string: contains at least one backslash escape.
    @usableFromInline static let escaped: UInt8 = 1
    /// number: has a fraction or an exponent, so it is not a plain integer literal.
    static let nonInteger: UInt8 = 2
    /// object: two keys may be equal, so lookups must scan from the first member ("first one wins").
    @usableFromInline static let mayHaveDuplicateKeys: UInt8 = 4
    /// object: the decoder has already checked whether the keys really repeat.
    static let duplicatesChecked: UInt8 = 8

    init(kind: Kind, flags: UInt8 = 0, start: UInt32, length: UInt32 = 0, count: UInt32 = 0) {
        self.kind = kind
        self.flags = flags
        self.start = start
        self.length = length
        self.count = count
    }

    /// The tape index of the token after this value (skipping a container's contents).
    @inlinable @inline(__always) func next(after index: Int) -> Int {
        kind.rawValue <= Kind.array.rawValue ? Int(length) : index &+ 1
    }
}

extension JSONToken.Kind {
    /// How Foundation names JSON types in its messages ("found a string instead").
    var name: String {
        switch self {
        case .object: "a dictionary"
        case .array: "an array"
        case .string: "a string"
        case .number: "number"
        case .true, .false: "bool"
        case .null: "null"
        }
    }
}
