/// Validates JSON input and records it as a flat token tape, in one pass, without allocating.
///
/// Containers are tracked with an explicit stack instead of recursion, so the depth limit is
/// a number we choose rather than whatever the thread's stack allows.
struct JSONScanner {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    var position = 0
    let tape: UnsafeMutablePointer<JSONToken>
    var count = 0
    /// Tokens `tape` has room for; checked on every append so that no input can overrun it.
    let capacity: Int
    let maximumDepth: Int

    /// Per open container: its tape index and, for objects, a 64-bit Bloom filter of its keys.
    private let stack: UnsafeMutablePointer<(index: Int, keys: UInt64)>
    private var depth = 0

    init(
        bytes: UnsafePointer<UInt8>, count: Int, tape: UnsafeMutablePointer<JSONToken>, capacity: Int,
        stack: UnsafeMutablePointer<(index: Int, keys: UInt64)>, maximumDepth: Int
    ) {
        self.bytes = bytes
        self.end = count
        self.tape = tape
        self.capacity = capacity
        self.stack = stack
        self.maximumDepth = maximumDepth
    }

    /// The number of tokens a scan can produce for `byteCount` bytes of input, plus one for the
    /// decoder's `null` sentinel: a scalar or key needs a byte and a separator, a closed container
    /// its two brackets; only unclosed containers (at most `maximumDepth`) take a single byte.
    static func tokenBound(forByteCount byteCount: Int, maximumDepth: Int) -> Int { byteCount / 2 + maximumDepth + 3 }

    func error(_ reason: String, at offset: Int? = nil) -> JSONError {
        JSONError(code: .syntax, offset: offset ?? position, reason: reason)
    }

    @inline(__always) func peek() -> UInt8? { position < end ? bytes[position] : nil }

    @inline(__always) mutating func skipWhitespace() {
        // Compact JSON has no whitespace: one comparison settles the common case.
        guard position < end, bytes[position] <= 0x20 else { return }
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position &+= 1
            default: return
            }
        }
    }

    @inline(__always) mutating func append(_ token: JSONToken) throws(JSONError) {
        // Cannot fail given `tokenBound`; kept as a cheap guard for memory safety.
        guard count < capacity else { throw error("token tape overflow") }
        tape[count] = token
        count &+= 1
    }

    /// Scans the whole input; afterwards `tape[0..<count]` describes it.
    mutating func scan() throws(JSONError) {
        // Foundation tolerates a UTF-8 byte order mark, so we do too.
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        values: while true {
            try scanValue()
            // A complete value ends here: close containers or move to the next element.
            while depth > 0 {
                skipWhitespace()
                let open = stack[depth &- 1].index
                let isObject = tape[open].kind == .object
                switch peek() {
                case UInt8(ascii: ","):
                    position &+= 1
                    skipWhitespace()
                    tape[open].count &+= 1
                    if isObject { try scanKey() }
                    continue values
                case UInt8(ascii: "}") where isObject, UInt8(ascii: "]") where !isObject:
                    position &+= 1
                    tape[open].length = UInt32(truncatingIfNeeded: count)
                    depth &-= 1
                case nil:
                    throw error(isObject ? "unterminated object" : "unterminated array")
                default:
                    throw error(isObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array")
                }
            }
            break
        }
        skipWhitespace()
        guard position == end else { throw error("unexpected data after the top-level value") }
    }

    /// Scans one value; for a non-empty container, opens it (and any containers that start
    /// it) and scans its first scalar, leaving the rest to `scan()`'s loop.
    private mutating func scanValue() throws(JSONError) {
        while true {
            guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else { return try scanScalar(byte) }
            let isObject = byte == UInt8(ascii: "{")
            guard depth < maximumDepth else {
                throw JSONError(code: .nestingTooDeep, offset: position, reason: "nesting exceeds \(maximumDepth) levels")
            }
            let index = count
            try append(JSONToken(kind: isObject ? .object : .array, start: UInt32(truncatingIfNeeded: position)))
            position &+= 1
            skipWhitespace()
            if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                position &+= 1
                tape[index].length = UInt32(truncatingIfNeeded: count)
                return
            }
            guard position < end else { throw error(isObject ? "unterminated object" : "unterminated array") }
            stack[depth] = (index, 0)
            depth &+= 1
            tape[index].count = 1
            if isObject { try scanKey() }
        }
    }

    private mutating func scanScalar(_ byte: UInt8) throws(JSONError) {
        let start = UInt32(truncatingIfNeeded: position)
        switch byte {
        case UInt8(ascii: "\""):
            position &+= 1
            let flags = try scanString()
            try append(JSONToken(kind: .string, flags: flags, start: start &+ 1, length: UInt32(truncatingIfNeeded: position &- 1) &- start &- 1))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let flags = try scanNumber()
            try append(JSONToken(kind: .number, flags: flags, start: start, length: UInt32(truncatingIfNeeded: position) &- start))
        case UInt8(ascii: "t"):
            try expectLiteral(0x6575_7274, "true")  // "true" read as a little-endian UInt32
            try append(JSONToken(kind: .true, start: start))
        case UInt8(ascii: "f"):
            try expectLiteral(0x736C_6166, "false")  // "fals", then the "e"
            guard peek() == UInt8(ascii: "e") else { throw error("invalid literal, expected 'false'", at: Int(start)) }
            position &+= 1
            try append(JSONToken(kind: .false, start: start))
        case UInt8(ascii: "n"):
            try expectLiteral(0x6C6C_756E, "null")
            try append(JSONToken(kind: .null, start: start))
        default:
            throw error("unexpected byte, expected a value")
        }
    }

    /// Scans `"key"` (recording it as a string token), the colon and the whitespace around it.
    @inline(__always) private mutating func scanKey() throws(JSONError) {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
        position &+= 1
        let start = position
        let flags = try scanString()
        let length = position &- 1 &- start
        try append(JSONToken(kind: .string, flags: flags, start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: length)))
        noteKey(start: start, length: length, escaped: flags & JSONToken.escaped != 0)
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        position &+= 1
        skipWhitespace()
    }

    /// Flags the innermost object when a key repeats an earlier one, so lookups know whether
    /// they may start in the middle (Foundation's "first one wins" needs the earliest match).
    ///
    /// A 64-bit Bloom filter per object catches repeats cheaply; on a hit, small objects compare
    /// the key with their earlier keys exactly. Large objects (whose filter saturates) are
    /// flagged on any hit and checked exactly, once, by the first lookup that needs it.
    @inline(__always) private mutating func noteKey(start: Int, length: Int, escaped: Bool) {
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
        if escaped || tape[object].count > 16 || repeatsEarlierKey(of: object, start: start, length: length) {
            tape[object].flags |= JSONToken.mayHaveDuplicateKeys
        }
    }

    /// Whether the key just scanned (the last token) equals an earlier unescaped key of `object`.
    private func repeatsEarlierKey(of object: Int, start: Int, length: Int) -> Bool {
        var k = object &+ 1
        let last = count &- 1
        while k < last {
            let key = tape[k]
            if key.flags & JSONToken.escaped != 0 { return true }
            if Int(key.length) == length && JSONTapeReader.equal(bytes + Int(key.start), bytes + start, length) { return true }
            k = tape[k &+ 1].next(after: k &+ 1)
        }
        return false
    }

    private mutating func expectLiteral(_ word: UInt32, _ name: StaticString) throws(JSONError) {
        guard end &- position >= 4,
            UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: word)
        else { throw error("invalid literal, expected '\(name)'") }
        position &+= 4
    }
}
