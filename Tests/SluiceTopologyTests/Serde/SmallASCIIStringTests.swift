#if canImport(Glibc)
import Glibc
#endif
@testable import SluiceTopology
import Testing

@Suite("Small ASCII Strings written in the standard library's inline form")
struct SmallASCIIStringTests {
    /// `bytes` at the very end of a page whose next page cannot be read: a read past them
    /// crashes the test instead of going unseen (a record's key may end where its buffer does).
    private func withExactBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>) -> R) -> R {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let mapped = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            fatalError("mmap failed")
        }
        defer { munmap(mapped, 2 * page) }
        precondition(mprotect(mapped + page, page, PROT_NONE) == 0)
        let start = (mapped + page - bytes.count).assumingMemoryBound(to: UInt8.self)
        start.initialize(from: bytes, count: bytes.count)
        return body(start)
    }

    /// If this fails, the standard library's layout changed: every caller falls back to its
    /// initializers (correct, but the fast path is gone), so the change must be looked at.
    @Test func theLayoutCheckPassesOnThisToolchain() {
        #expect(SmallASCIIString.isAvailable)
        #expect(SmallASCIIString.layoutMatches())
    }

    @Test func everyLengthAndByteMatchesTheStandardLibrary() {
        var random = SystemRandomNumberGenerator()
        for count in 0...SmallASCIIString.maximumCount {
            for _ in 0..<200 {
                let bytes = (0..<count).map { _ in UInt8.random(in: 0...0x7F, using: &random) }
                let standard = String(decoding: bytes, as: UTF8.self)
                let made = withExactBytes(bytes) { SmallASCIIString.make($0, count: count) }
                #expect(made == standard)
                guard let made else { continue }
                #expect(unsafeBitCast(made, to: (UInt64, UInt64).self) == unsafeBitCast(standard, to: (UInt64, UInt64).self))
                #expect(made.hashValue == standard.hashValue)
                #expect(Array(made.utf8) == bytes)
                #expect(made.count == standard.count)
            }
        }
    }

    @Test func aNonASCIIByteAnywhereIsLeftToTheStandardLibrary() {
        for count in 1...SmallASCIIString.maximumCount {
            for position in 0..<count {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: count)
                bytes[position] = 0xC3
                #expect(withExactBytes(bytes) { SmallASCIIString.make($0, count: count) } == nil)
            }
        }
    }

    @Test func madeStringsBehaveAsAnyOther() {
        let made = Array("user-42".utf8).withUnsafeBufferPointer { SmallASCIIString.make($0.baseAddress!, count: $0.count)! }
        var grown = made
        grown += "-and-then-some-more"  // past 15 bytes: moves to the heap
        #expect(grown == "user-42-and-then-some-more")
        #expect(made == "user-42")
        #expect(made < "user-5" && made > "user-41")
        #expect(made.dropFirst(5) == "42")
        #expect(Set([made, "user-42"]).count == 1)
        #expect([made: 1]["user-42"] == 1)
    }

    @Test func theStringSerdeReadsShortASCIIKeysAndEverythingElseAsBefore() throws {
        let serde = StringSerde()
        for key in ["", "u", "user-12345", "fifteen-bytes!!", "sixteen-bytes!!!", "é", "naïve-key", "a\u{0}b"] {
            let bytes = Array(key.utf8)
            #expect(try bytes.withUnsafeBytes { try serde.deserialize($0) } == key)
        }
        let invalid: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(try invalid.withUnsafeBytes { try serde.deserialize($0) } == "a\u{FFFD}b")
    }
}
