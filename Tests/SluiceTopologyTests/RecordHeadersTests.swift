import SluiceTopology
import Testing

@Suite struct RecordHeadersTests {
    @Test func lastHeaderWinsAndNullValuesSurvive() {
        var h = RecordHeaders()
        h.append("a", "1")
        h.append("b", nil)
        h.append("a", "2")
        #expect(h.string("a") == "2")
        #expect(h["b"] == nil)
        #expect(h.count == 3)
        #expect(h.elements[1].value == nil)
    }
}
