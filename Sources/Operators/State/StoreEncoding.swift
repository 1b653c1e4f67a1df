/// How typed entries become store bytes.
///
/// Values carry the timestamp of the newest record that made them (Kafka Streams' timestamped
/// stores), so results keep their event time. Window and session keys put the record key first,
/// length-prefixed so one key's entries are one contiguous range, then times as big-endian integers
/// with the sign bit flipped so they order as numbers. A second key space, sorted by time, lets
/// expired windows and sessions go without scanning every key.
enum StoreEncoding {
    static let primary: UInt8 = 0
    static let timeIndex: UInt8 = 1

    static func appendTime(_ t: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: (UInt64(bitPattern: t) ^ (1 << 63)).bigEndian) { bytes.append(contentsOf: $0) }
    }

    static func time(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ (1 << 63))
    }

    static func appendLength(_ n: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(n).bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// `[0][key length][key]`: the prefix of every entry of one record key.
    static func keyPrefix(_ key: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [primary]
        out.reserveCapacity(key.count + 21)
        appendLength(key.count, to: &out)
        out.append(contentsOf: key)
        return out
    }

    /// `[1][time][key length][key]...`: the time index of an entry.
    static func indexKey(time: Int64, primaryKey: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [timeIndex]
        appendTime(time, to: &out)
        out.append(contentsOf: primaryKey.dropFirst())
        return out
    }

    /// The time-index key of a window entry `[0][len][key][start]`: `[1][start][len][key][start]`.
    static func windowIndexKey(_ primaryKey: [UInt8]) -> [UInt8]? {
        guard primaryKey.count >= 13, primaryKey[0] == primary else { return nil }
        return [timeIndex] + primaryKey[(primaryKey.count - 8)...] + primaryKey.dropFirst()
    }

    /// The time-index key of a session entry `[0][len][key][end][start]`: `[1][end][len][key][end][start]`.
    static func sessionIndexKey(_ primaryKey: [UInt8]) -> [UInt8]? {
        guard primaryKey.count >= 21, primaryKey[0] == primary else { return nil }
        return [timeIndex] + primaryKey[(primaryKey.count - 16)..<(primaryKey.count - 8)] + primaryKey.dropFirst()
    }

    /// The entry an index key points to: the index key is `[1][time]` followed by the entry's key
    /// without its leading `[0]`.
    static func primaryKey(ofIndex index: [UInt8]) -> [UInt8] {
        [primary] + index[9...]
    }

    /// The smallest key after every key starting with `prefix`, or `nil` when there is none.
    static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var p = prefix
        while let last = p.last {
            if last < 0xFF {
                p[p.count - 1] = last + 1
                return p
            }
            p.removeLast()
        }
        return nil
    }

    /// A value and its timestamp: `[timestamp, 8 bytes][value]`.
    static func timestamped(_ value: [UInt8], timestamp: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count + 8)
        withUnsafeBytes(of: timestamp.bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: value)
        return out
    }

    static func splitTimestamped(_ bytes: UnsafeRawBufferPointer) -> (timestamp: Int64, value: UnsafeRawBufferPointer) {
        (Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)), UnsafeRawBufferPointer(rebasing: bytes[8...]))
    }
}

/// Lexicographic comparison of two byte arrays.
func compareArrays(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compareBytes(pa, pb) } }
}
