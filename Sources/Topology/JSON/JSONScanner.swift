/// Validates JSON input and records it as a flat token tape, in one pass, without allocating.
///
/// Containers are tracked with an explicit stack instead of recursion, so the depth limit is
/// a number we choose rather than whatever the thread's stack allows. The hot loop keeps its
/// cursor in local variables: as fields of `self` they would be reloaded after every store
/// through the tape pointer, which the compiler must assume may alias them.
struct JSONScanner {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    let tape: UnsafeMutablePointer<JSONToken>
    /// Tokens `tape` has room for; checked on every append so that no input can overrun it.
    let capacity: Int
    /// Per open container: its tape index and, for objects, a 64-bit Bloom filter of its keys.
    let stack: UnsafeMutablePointer<(index: Int, keys: UInt64)>
    let maximumDepth: Int
    /// Number of tokens after a successful `scan()`.
    private(set) var count = 0

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

    static func error(_ reason: String, at offset: Int) -> JSONError {
        JSONError(code: .syntax, offset: offset, reason: reason)
    }

    /// Scans the whole input; afterwards `tape[0..<count]` describes it.
    mutating func scan() throws(JSONError) {
        count = try tokens()
    }

    /// The scan itself, non-mutating: in a mutating method each key's scan copied all of `self`.
    private func tokens() throws(JSONError) -> Int {
        let bytes = bytes, end = end, tape = tape, stack = stack, capacity = capacity
        var pos = 0
        var count = 0
        var depth = 0
        // The innermost open container, kept here so that closing a value reads no memory.
        var open = 0
        var inObject = false
        // Foundation tolerates a UTF-8 byte order mark, so we do too.
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { pos = 3 }
        Self.skipWhitespace(bytes, end, &pos)

        values: while true {
            // One value at `pos`; containers are opened here and continue in the loop below.
            guard pos < end else { throw Self.error("unexpected end of input, expected a value", at: pos) }
            guard count < capacity else { throw Self.error("token tape overflow", at: pos) }  // cannot happen given `tokenBound`
            let start = pos
            switch bytes[pos] {
            case UInt8(ascii: "\""):
                pos &+= 1
                let flags = try Self.scanString(bytes, end, &pos)
                tape[count] = JSONToken(kind: .string, flags: flags, start: UInt32(truncatingIfNeeded: start &+ 1), length: UInt32(truncatingIfNeeded: pos &- start &- 2))
                count &+= 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let flags = try Self.scanNumber(bytes, end, &pos)
                tape[count] = JSONToken(kind: .number, flags: flags, start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: pos &- start))
                count &+= 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[pos] == UInt8(ascii: "{")
                guard depth < maximumDepth else {
                    throw JSONError(code: .nestingTooDeep, offset: pos, reason: "nesting exceeds \(maximumDepth) levels")
                }
                tape[count] = JSONToken(kind: isObject ? .object : .array, start: UInt32(truncatingIfNeeded: pos))
                let index = count
                count &+= 1
                pos &+= 1
                Self.skipWhitespace(bytes, end, &pos)
                guard pos < end else { throw Self.error(isObject ? "unterminated object" : "unterminated array", at: pos) }
                if bytes[pos] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    pos &+= 1
                    tape[index].length = UInt32(truncatingIfNeeded: count)
                } else {
                    stack[depth] = (index, 0)
                    depth &+= 1
                    open = index
                    inObject = isObject
                    tape[index].count = 1
                    if isObject { try scanKey(&pos, &count, depth) }
                    continue values
                }
            case UInt8(ascii: "t"):
                try Self.expectLiteral(bytes, end, &pos, 0x6575_7274, "true")  // "true" as a little-endian UInt32
                tape[count] = JSONToken(kind: .true, start: UInt32(truncatingIfNeeded: start))
                count &+= 1
            case UInt8(ascii: "f"):
                try Self.expectLiteral(bytes, end, &pos, 0x736C_6166, "false")  // "fals", then the "e"
                guard pos < end && bytes[pos] == UInt8(ascii: "e") else { throw Self.error("invalid literal, expected 'false'", at: start) }
                pos &+= 1
                tape[count] = JSONToken(kind: .false, start: UInt32(truncatingIfNeeded: start))
                count &+= 1
            case UInt8(ascii: "n"):
                try Self.expectLiteral(bytes, end, &pos, 0x6C6C_756E, "null")
                tape[count] = JSONToken(kind: .null, start: UInt32(truncatingIfNeeded: start))
                count &+= 1
            default:
                throw Self.error("unexpected byte, expected a value", at: pos)
            }

            // A complete value ends here: close containers or move to the next element.
            while depth > 0 {
                Self.skipWhitespace(bytes, end, &pos)
                guard pos < end else { throw Self.error(inObject ? "unterminated object" : "unterminated array", at: pos) }
                let byte = bytes[pos]
                if byte == UInt8(ascii: ",") {
                    pos &+= 1
                    Self.skipWhitespace(bytes, end, &pos)
                    tape[open].count &+= 1
                    if inObject { try scanKey(&pos, &count, depth) }
                    continue values
                }
                guard byte == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw Self.error(inObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array", at: pos)
                }
                pos &+= 1
                tape[open].length = UInt32(truncatingIfNeeded: count)
                depth &-= 1
                if depth > 0 {
                    open = stack[depth &- 1].index
                    inObject = tape[open].kind == .object
                }
            }
            break
        }
        Self.skipWhitespace(bytes, end, &pos)
        guard pos == end else { throw Self.error("unexpected data after the top-level value", at: pos) }
        return count
    }

    /// Scans `"key"` (recording it as a string token), the colon and the whitespace around it.
    /// `@_transparent` because the optimizer declined `@inline(__always)` here, and the call
    /// (with `pos`/`count` spilled to memory) cost about a tenth of the scan.
    @_transparent private func scanKey(_ pos: inout Int, _ count: inout Int, _ depth: Int) throws(JSONError) {
        guard pos < end && bytes[pos] == UInt8(ascii: "\"") else { throw Self.error("expected a string key in object", at: pos) }
        guard count < capacity else { throw Self.error("token tape overflow", at: pos) }
        pos &+= 1
        let start = pos
        let flags = try Self.scanString(bytes, end, &pos)
        let length = pos &- 1 &- start
        tape[count] = JSONToken(kind: .string, flags: flags, start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: length))
        count &+= 1
        noteKey(start: start, length: length, escaped: flags & JSONToken.escaped != 0, count: count, depth: depth)
        Self.skipWhitespace(bytes, end, &pos)
        guard pos < end && bytes[pos] == UInt8(ascii: ":") else { throw Self.error("expected ':' after object key", at: pos) }
        pos &+= 1
        Self.skipWhitespace(bytes, end, &pos)
    }

    @inline(__always) static func skipWhitespace(_ bytes: UnsafePointer<UInt8>, _ end: Int, _ pos: inout Int) {
        // Compact JSON has no whitespace: one comparison settles the common case.
        guard pos < end, bytes[pos] <= 0x20 else { return }
        while pos < end {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos &+= 1
            default: return
            }
        }
    }

    private static func expectLiteral(
        _ bytes: UnsafePointer<UInt8>, _ end: Int, _ pos: inout Int, _ word: UInt32, _ name: StaticString
    ) throws(JSONError) {
        guard end &- pos >= 4,
            UnsafeRawPointer(bytes + pos).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: word)
        else { throw error("invalid literal, expected '\(name)'", at: pos) }
        pos &+= 4
    }
}
