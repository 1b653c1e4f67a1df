import SluiceTopology
import Testing

/// Records in a native form of their own (an index into `headers`), lent by a `HeaderLender` that
/// counts how often it had to read them.
private final class NativeRecords {
    let headers: [[RecordHeaders.Header]]
    private(set) var reads = 0
    let storage: UnsafeMutablePointer<Int>
    private(set) lazy var lender = HeaderLender(
        origin: ObjectIdentifier(NativeRecords.self),
        read: { [unowned self] record in
            reads += 1
            return headers[record.load(as: Int.self)]
        },
        count: { [unowned self] record in
            reads += 1
            return headers[record.load(as: Int.self)].count
        })

    init(_ headers: [[RecordHeaders.Header]]) {
        self.headers = headers
        storage = .allocate(capacity: headers.count)
        for i in headers.indices { (storage + i).initialize(to: i) }
    }

    deinit { storage.deallocate() }

    func lend(_ i: Int) -> RecordHeaders { lender.lend(UnsafeRawPointer(storage + i)) }
}

private let trace = RecordHeaders.Header(name: "trace", value: Array("t-1".utf8))
private let empty = RecordHeaders.Header(name: "empty", value: nil)

@Suite struct LentHeadersTests {
    @Test func aRecordIsReadOnlyWhenItsHeadersAreAskedFor() {
        let records = NativeRecords([[trace, empty], []])
        var attributes = RecordAttributes(timestamp: 1, headers: records.lend(0))
        attributes.timestamp = 2
        let passedOn = RecordAttributes(timestamp: 3, headers: attributes.headers)
        #expect(records.reads == 0, "lending and passing headers on reads nothing")
        #expect(passedOn.headers.count == 2)
        #expect(passedOn.headers.string("trace") == "t-1")
        #expect(records.lend(1).isEmpty)
        #expect(records.reads == 3)
        #expect(records.lend(0).lent?.origin == ObjectIdentifier(NativeRecords.self))
        #expect(RecordHeaders([trace]).lent == nil)
    }

    @Test func lentHeadersBehaveAsTheRecordsOwnHeaders() {
        let records = NativeRecords([[trace, empty], [trace]])
        let lent = records.lend(0)
        #expect(lent == RecordHeaders([trace, empty]))
        #expect(lent.hashValue == RecordHeaders([trace, empty]).hashValue)
        #expect(lent != records.lend(1))
        #expect(Array(lent).map(\.name) == ["trace", "empty"])
        var appended = lent
        appended.append("sluice.error", "bad")
        #expect(appended.lent == nil, "an append leaves headers of its own")
        #expect(appended.elements.map(\.name) == ["trace", "empty", "sluice.error"])
        #expect(lent.count == 2, "the lent value is unchanged")
    }

    @Test func ownedHeadersOutliveTheLoan() {
        let records = NativeRecords([[trace]])
        let kept = records.lend(0).owned
        records.lender.endLoans()
        #expect(kept == RecordHeaders([trace]))
        #expect(kept.lent == nil)
        #expect(records.lend(0).count == 1, "a new loan reads the record again")
    }

    @Test func readingLentHeadersAfterTheLoanEndedStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let records = NativeRecords([[trace]])
            let late = records.lend(0)
            records.lender.endLoans()
            _ = late.count
        }
    }
}
