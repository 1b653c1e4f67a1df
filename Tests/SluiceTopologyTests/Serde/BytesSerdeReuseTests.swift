import SluiceTopology
import Testing

@Suite("A bytes serde filling the storage of a spare array")
struct BytesSerdeReuseTests {
    private let serde = BytesSerde()

    private func read(_ bytes: [UInt8], reusing spare: inout [UInt8]?) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try serde.deserialize($0, reusing: &spare) }
    }

    private func base(_ array: [UInt8]) -> UnsafeRawPointer? { array.withUnsafeBytes { $0.baseAddress } }

    @Test func aSpareNothingElseHoldsIsFilledInPlace() throws {
        var spare: [UInt8]? = Array(repeating: 9, count: 64)
        let storage = base(spare!)
        let value = try read([1, 2, 3], reusing: &spare)
        #expect(value == [1, 2, 3] && base(value) == storage && value.capacity >= 64)
        #expect(spare == nil, "the spare is taken, so no second reference stops the next reuse")
        #expect(serde.reusesStorage)
    }

    @Test func aSpareSomethingStillHoldsIsLeftAsItWas() throws {
        let kept: [UInt8] = [7, 7, 7, 7, 7, 7, 7, 7]
        var spare: [UInt8]? = kept
        let value = try read([1, 2], reusing: &spare)
        #expect(value == [1, 2] && base(value) != base(kept))
        #expect(kept == [7, 7, 7, 7, 7, 7, 7, 7])
    }

    @Test func spareSizesOutOfProportionAreLetGo() throws {
        var small: [UInt8]? = [0]
        #expect(try read(Array(repeating: 5, count: 300), reusing: &small) == Array(repeating: 5, count: 300))
        var huge: [UInt8]? = Array(repeating: 0, count: 1 << 20)
        let storage = base(huge!)
        let value = try read([1], reusing: &huge)
        #expect(value == [1] && base(value) != storage, "one huge record does not pin its buffer for small ones")
        #expect(huge == nil)
    }

    @Test func aNullIsStillRefused() {
        var spare: [UInt8]? = [1, 2, 3]
        #expect(throws: SerdeError.self) { try serde.deserialize(nil, reusing: &spare) }
    }

    @Test func serdesWithoutReuseIgnoreTheSpare() throws {
        var spare: String? = "left alone"
        let value = try Array("text".utf8).withUnsafeBytes { try StringSerde().deserialize($0, reusing: &spare) }
        #expect(value == "text" && spare == "left alone" && !StringSerde().reusesStorage)
    }
}
