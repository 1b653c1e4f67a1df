import Testing

@testable import SluiceOperators

@Suite("A closing window's entries, in the store's order")
struct WindowEntryOrderTests {
    /// Keys after a shared window start, short and long, with zero bytes and common prefixes, so
    /// that the integer loaded from bytes 8 to 16 ties and pads: the order must still be the bytes'.
    @Test func entriesSortAsTheirBytesDo() {
        var random = SystemRandomNumberGenerator()
        let start: [UInt8] = [0x80, 0, 1, 2, 3, 4, 5, 6]
        let alphabet: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF]
        for _ in 0..<200 {
            var entries: [StoreKey] = []
            for _ in 0..<Int.random(in: 0...60, using: &random) {
                let length = Int.random(in: 0...20, using: &random)
                let key = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
                entries.append(StoreKey(start + key))
            }
            entries += entries.prefix(3)  // the same key twice
            let sorted = FinalWindowResults<String, Int64>.sortedByKey(entries)
            #expect(sorted.map(\.bytes) == entries.map(\.bytes).sorted { compareArrays($0, $1) < 0 })
        }
    }
}
