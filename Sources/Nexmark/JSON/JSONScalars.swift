/// The three kinds of JSON value a Nexmark event holds, appended as Jackson writes them, and the
/// literal text between them.

/// Appends the UTF-8 of a literal in one copy (a `String`'s `utf8` view would go element-wise).
@inline(__always)
func appendLiteral(_ literal: StaticString, to bytes: inout [UInt8]) {
    literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
}

/// Appends `value` in decimal.
@inline(__always)
func appendJSONInteger(_ value: Int64, to bytes: inout [UInt8]) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    if magnitude < 10 {
        bytes.append(UInt8(truncatingIfNeeded: 48 + magnitude))
        return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
        var start = 20
        while magnitude > 0 {
            start -= 1
            digits[start] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
            magnitude /= 10
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
    }
}

/// Appends `string` quoted, escaping `"`, `\` and control characters as Jackson does (short
/// escapes for `\b \t \n \f \r`, `\u00XX` for the rest) and copying everything else, non-ASCII
/// included, as UTF-8.
@inline(__always)
func appendJSONString(_ string: String, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { utf8 in
        var clean = 0  // start of the bytes not yet copied
        for i in 0..<utf8.count {
            let byte = utf8[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<i]))
            appendEscape(byte, to: &bytes)
            clean = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
}

private func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\\"))
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
    case 0x08: bytes.append(UInt8(ascii: "b"))
    case 0x09: bytes.append(UInt8(ascii: "t"))
    case 0x0A: bytes.append(UInt8(ascii: "n"))
    case 0x0C: bytes.append(UInt8(ascii: "f"))
    case 0x0D: bytes.append(UInt8(ascii: "r"))
    default:
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
    }
}

/// Appends `timestamp` as a quoted Flink SQL timestamp.
@inline(__always)
func appendJSONTimestamp(_ timestamp: NexmarkTimestamp, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    timestamp.appendFlinkSQL(to: &bytes)
    bytes.append(UInt8(ascii: "\""))
}
