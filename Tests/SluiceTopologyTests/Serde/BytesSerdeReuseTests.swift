import SluiceTopology
import Testing

@Suite("A bytes serde's recycler filling the storage of arrays let go")
struct BytesSerdeReuseTests {
    private func read(_ bytes: [UInt8], with recycler: any SerdeRecycler<[UInt8]>) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try recycler.deserialize($0) }
    }

    private func base(_ array: [UInt8]) -> UnsafeRawPointer? { array.withUnsafeBytes { $0.baseAddress } }

    @Test func anArrayNothingElseHoldsIsFilledInPlace() throws {
        let recycler = try #require(BytesSerde().makeRecycler())
        var spare: [UInt8]? = Array(repeating: 9, count: 40)
        let storage = base(spare!)
        recycler.recycle(spare!)
        spare = nil
        let value = try read([1, 2, 3], with: recycler)
        // (The capacity tells reuse apart from malloc handing back the block just freed.)
        #expect(value == [1, 2, 3] && base(value) == storage && value.capacity >= 40)
        let next = try read([4, 5], with: recycler)
        #expect(next == [4, 5] && base(next) != storage, "the recycler keeps nothing it was not given back")
        #expect(value == [1, 2, 3])
    }

    @Test func anArraySomethingStillHoldsIsLeftAsItWas() throws {
        let recycler = try #require(BytesSerde().makeRecycler())
        let kept: [UInt8] = [7, 7, 7, 7, 7, 7, 7, 7]
        recycler.recycle(kept)
        let value = try read([1, 2], with: recycler)
        #expect(value == [1, 2] && base(value) != base(kept))
        #expect(kept == [7, 7, 7, 7, 7, 7, 7, 7])
    }

    @Test func arraysOutOfProportionAreLetGo() throws {
        let recycler = try #require(BytesSerde().makeRecycler())
        recycler.recycle([0])
        #expect(try read(Array(repeating: 5, count: 300), with: recycler) == Array(repeating: 5, count: 300))
        var huge: [UInt8]? = Array(repeating: 0, count: 1 << 20)
        let storage = base(huge!)
        recycler.recycle(huge!)
        huge = nil
        let value = try read([1], with: recycler)
        #expect(value == [1] && base(value) != storage, "one huge record does not pin its buffer for small ones")
        let kept = Array(repeating: UInt8(0), count: 1_000)
        recycler.recycle(kept)
        let small = try read(Array(repeating: 3, count: 10), with: recycler)
        #expect(small == Array(repeating: 3, count: 10) && small.capacity < 1_000, "a kept spare's copy takes no slack")
    }

    @Test func aNullIsStillRefused() throws {
        let recycler = try #require(BytesSerde().makeRecycler())
        recycler.recycle([1, 2, 3])
        #expect(throws: SerdeError.self) { try recycler.deserialize(nil) }
    }

    @Test func onlySerdesWithBuffersOfTheirOwnHaveOne() {
        #expect(StringSerde().makeRecycler() == nil && Int64Serde().makeRecycler() == nil)
        #expect(AnySerde(BytesSerde()).makeRecycler() != nil, "the type-erased serde passes its base's on")
    }
}
