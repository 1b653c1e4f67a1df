/// The shape of a document a decoder scanned: its bytes outside its scalar values (brackets,
/// keys, separators, whitespace), and its tape. The events of one topic nearly always share a
/// shape, differing only in their values; the next such document is then scanned by comparing
/// the bytes between its values with these (a few word compares per member) and scanning only
/// the values, with no key scan, no duplicate-key filter and no branch per separator.
///
/// Equivalent to the byte scan by construction: a document that matches has, outside its values,
/// exactly the bytes of a valid document, and each value is checked as the byte scan checks it
/// (which also ends it where the scan would); its tape is this shape's, with the values' own
/// positions, lengths and flags. Anything else is a miss, and the caller scans byte by byte.
struct JSONShape {
    enum Hole: UInt8 {
        /// A string value; its hole is the body and the closing quote (the opening one is literal).
        case string
        case number
        /// `true`, `false` or `null`: which one may change from document to document.
        case literal
    }

    /// The largest documents and tapes kept as shapes: a shape is a copy of both.
    static let maximumBytes = 4096
    static let maximumTokens = 256

    // Raw storage, freed by `deallocate()`: a class would cost a retain and a release per scan.
    /// The literal runs, back to back; run `i` precedes hole `i`, and the last run ends the document.
    private let literal: UnsafeMutablePointer<UInt8>
    /// Run `i` is `literal[runStart[i] ..< runStart[i + 1]]`; `holeCount + 2` entries.
    private let runStart: UnsafeMutablePointer<Int>
    /// Per hole: what it holds, and its token (the tokens before it, back to the previous hole's,
    /// are the keys and brackets of its run).
    private let holes: UnsafeMutablePointer<(hole: Hole, token: Int)>
    let holeCount: Int
    /// The tape as scanned (before any lookup moved an object's hint).
    private let tokens: UnsafeMutablePointer<JSONToken>
    let tokenCount: Int
    /// Per key or bracket token: how far into its run it starts.
    private let offsets: UnsafeMutablePointer<UInt32>

    /// The shape of the `count`-byte document at `bytes`, whose tape is `tape[0..<tokenCount]`;
    /// `nil` if it is too large to keep.
    init?(bytes: UnsafePointer<UInt8>, count: Int, tape: UnsafePointer<JSONToken>, tokenCount: Int) {
        guard count <= Self.maximumBytes, tokenCount > 0, tokenCount <= Self.maximumTokens else { return nil }
        // Which tokens are keys: the rest are values, and the scalar ones are the holes.
        var isKey = [Bool](repeating: false, count: tokenCount)
        for index in 0..<tokenCount where tape[index].kind == .object {
            var k = index &+ 1
            while k < Int(tape[index].length) {
                isKey[k] = true
                k = tape[k &+ 1].next(after: k &+ 1)
            }
        }
        var spans: [(start: Int, end: Int, hole: Hole, token: Int)] = []
        for t in 0..<tokenCount where !isKey[t] {
            let token = tape[t]
            let start = Int(token.start)
            switch token.kind {
            case .string: spans.append((start, start + Int(token.length) + 1, .string, t))
            case .number: spans.append((start, start + Int(token.length), .number, t))
            case .true, .null: spans.append((start, start + 4, .literal, t))
            case .false: spans.append((start, start + 5, .literal, t))
            case .object, .array: break
            }
        }
        holeCount = spans.count
        self.tokenCount = tokenCount
        literal = .allocate(capacity: max(count, 1))
        runStart = .allocate(capacity: holeCount + 2)
        holes = .allocate(capacity: max(holeCount, 1))
        tokens = .allocate(capacity: tokenCount)
        offsets = .allocate(capacity: tokenCount)
        tokens.initialize(from: tape, count: tokenCount)
        offsets.initialize(repeating: 0, count: tokenCount)

        // The runs between the holes, and where in its run each key and bracket lies.
        var written = 0
        var from = 0
        var t = 0
        for i in 0...spans.count {
            // Past the last hole: the last run, to the end of the document and of the tape.
            let span = i < spans.count ? spans[i] : (start: count, end: count, hole: Hole.literal, token: tokenCount)
            runStart[i] = written
            literal.advanced(by: written).initialize(from: bytes + from, count: span.start - from)
            written += span.start - from
            while t < span.token {
                offsets[t] = UInt32(Int(tape[t].start) - from)
                t += 1
            }
            t += 1
            if i < spans.count { holes[i] = (span.hole, span.token) }
            from = span.end
        }
        runStart[holeCount + 1] = written
    }

    func deallocate() {
        literal.deallocate()
        runStart.deallocate()
        holes.deallocate()
        tokens.deallocate()
        offsets.deallocate()
    }

    /// Whether the `end`-byte document at `bytes` has this shape; if so, its tape is in `tape`
    /// (room for `tokenCount` tokens). On a miss, `tape` holds some of it: the caller scans again.
    func scan(_ bytes: UnsafePointer<UInt8>, _ end: Int, into tape: UnsafeMutablePointer<JSONToken>) -> Bool {
        var pos = 0
        var t = 0
        for h in 0..<holeCount {
            let hole = holes[h]
            guard literalRun(h, at: &pos, &t, upTo: hole.token, bytes, end, tape) else { return false }
            var token = tokens[t]
            let start = pos
            switch hole.hole {
            case .string:
                guard let flags = try? JSONScanner.scanString(bytes, end, &pos) else { return false }
                token.flags = flags
                token.length = UInt32(truncatingIfNeeded: pos &- start &- 1)
            case .number:
                guard pos < end, let flags = try? JSONScanner.scanNumber(bytes, end, &pos) else { return false }
                token.flags = flags
                token.length = UInt32(truncatingIfNeeded: pos &- start)
            case .literal:
                guard end &- pos >= 4 else { return false }
                switch UnsafeRawPointer(bytes + pos).loadUnaligned(as: UInt32.self) {
                case UInt32(littleEndian: 0x6575_7274): token.kind = .true  // "true"
                case UInt32(littleEndian: 0x6C6C_756E): token.kind = .null  // "null"
                case UInt32(littleEndian: 0x736C_6166):  // "fals"
                    guard end &- pos >= 5, bytes[pos &+ 4] == UInt8(ascii: "e") else { return false }
                    pos &+= 1
                    token.kind = .false
                default: return false
                }
                pos &+= 4
            }
            token.start = UInt32(truncatingIfNeeded: start)
            tape[t] = token
            t &+= 1
        }
        return literalRun(holeCount, at: &pos, &t, upTo: tokenCount, bytes, end, tape) && pos == end
    }

    /// Whether literal run `run` comes next, at `pos`; if so, moves past it, writing its keys'
    /// and brackets' tokens (up to token `last`, exclusive) at their places in it.
    @inline(__always) private func literalRun(
        _ run: Int, at pos: inout Int, _ t: inout Int, upTo last: Int, _ bytes: UnsafePointer<UInt8>, _ end: Int,
        _ tape: UnsafeMutablePointer<JSONToken>
    ) -> Bool {
        let start = runStart[run]
        let count = runStart[run &+ 1] &- start
        guard end &- pos >= count, JSONTapeReader.equal(bytes + pos, literal + start, count) else { return false }
        let at = UInt32(truncatingIfNeeded: pos)
        while t < last {
            var token = tokens[t]
            token.start = at &+ offsets[t]
            tape[t] = token
            t &+= 1
        }
        pos &+= count
        return true
    }
}
