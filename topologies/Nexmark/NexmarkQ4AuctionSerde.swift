import Sluice

/// q4's per-auction state in a fixed binary layout rather than JSON. An auction's bids that come
/// before it wait in the state (4% of bids do in the generator's own order, and many more once the
/// repartition topic interleaves upstream tasks far apart), and every further bid re-encoded them
/// all: as JSON that was two thirds of q4's CPU. Here each waiting bid is 16 bytes copied. (State
/// only: the result topic stays JSON.)
///
/// Layout, little-endian: a flags byte (1: lifetime known, 2: a winning price), the lifetime
/// (category, opens, expires) if known, the winning price if any, a 4-byte count of waiting bids,
/// then each as (price, time).
struct NexmarkQ4AuctionSerde: Serde {
    func serialize(_ auction: NexmarkQ4Auction, into buffer: inout [UInt8]) throws -> Bool {
        buffer.reserveCapacity(buffer.count + 1 + 32 + 4 + 16 * auction.early.count)
        buffer.append((auction.span == nil ? 0 : 1) | (auction.final == nil ? 0 : 2))
        if let span = auction.span {
            Self.append(span.category, to: &buffer)
            Self.append(span.opens, to: &buffer)
            Self.append(span.expires, to: &buffer)
        }
        if let final = auction.final { Self.append(final, to: &buffer) }
        withUnsafeBytes(of: UInt32(auction.early.count).littleEndian) { buffer.append(contentsOf: $0) }
        for bid in auction.early {
            Self.append(bid.price, to: &buffer)
            Self.append(bid.at, to: &buffer)
        }
        return true
    }

    func deserialize(_ bytes: UnsafeRawBufferPointer?) throws -> NexmarkQ4Auction {
        guard let bytes else { throw SerdeError.null }
        var reader = Reader(bytes: bytes)
        let flags = try reader.byte()
        guard flags & ~3 == 0 else { throw SerdeError("q4 auction state: unknown flags \(flags)") }
        var auction = NexmarkQ4Auction()
        if flags & 1 != 0 {
            auction.span = NexmarkQ4Input.Span(category: try reader.int64(), opens: try reader.int64(), expires: try reader.int64())
        }
        if flags & 2 != 0 { auction.final = try reader.int64() }
        let count = Int(try reader.uint32())
        guard count * 16 == reader.remaining else {
            throw SerdeError("q4 auction state: \(count) waiting bids need \(count * 16) bytes, \(reader.remaining) left")
        }
        auction.early.reserveCapacity(count)
        for _ in 0..<count { auction.early.append(NexmarkQ4Input.Price(price: try reader.int64(), at: try reader.int64())) }
        return auction
    }

    private static func append(_ value: Int64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Reads the layout front to back, failing (not trapping) on a short buffer.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0
        var remaining: Int { bytes.count - at }

        mutating func take<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard remaining >= size else { throw SerdeError("q4 auction state: \(bytes.count) bytes end early") }
            defer { at += size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
        }
        mutating func byte() throws -> UInt8 { try take(UInt8.self) }
        mutating func uint32() throws -> UInt32 { try take(UInt32.self) }
        mutating func int64() throws -> Int64 { try take(Int64.self) }
    }
}
