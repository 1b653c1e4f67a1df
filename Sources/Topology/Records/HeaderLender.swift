/// Lends out the headers of the records its owner holds, so that they are read only if asked for.
///
/// Reading a Kafka record's headers costs librdkafka 2.0.2 an allocation and a parse even when
/// the record has none (and it keeps nothing from a parse that found none), and most records'
/// headers are never asked for: a record a filter drops, or one an aggregation folds in. So a
/// stream thread hands its records' headers on unread, lent from here; a sink, a dead-letter
/// record or a watermark lookup reads them when it gets there.
///
/// A loan lasts while its records are held: the owner ends every loan (`endLoans()`) before it
/// lets them go, and a read after that traps rather than reading freed memory. Whatever keeps
/// headers beyond the processing of their record keeps `RecordHeaders.owned`.
/// - Important: belongs to one thread, like the consumer whose records it lends.
package final class HeaderLender {
    /// Who lends: a reader that knows the records' native form may copy their headers natively.
    package let origin: ObjectIdentifier
    private let read: (UnsafeRawPointer) -> [RecordHeaders.Header]
    private let count: (UnsafeRawPointer) -> Int
    /// The current loan; ended loans have smaller numbers (modulo 2³²). Unchecked: the lender
    /// belongs to one thread, and a run-time exclusivity check on every record's loan was 0.5%
    /// of the JSON row's CPU.
    @exclusivity(unchecked) private(set) var loan: UInt32 = 0

    /// - Parameters:
    ///   - read: the headers of a record, copied.
    ///   - count: how many headers a record has.
    package init(
        origin: ObjectIdentifier, read: @escaping (UnsafeRawPointer) -> [RecordHeaders.Header],
        count: @escaping (UnsafeRawPointer) -> Int
    ) {
        self.origin = origin
        self.read = read
        self.count = count
    }

    /// `record`'s headers, unread, for as long as the current loan lasts.
    @inline(__always) package func lend(_ record: UnsafeRawPointer) -> RecordHeaders {
        RecordHeaders(lent: LentHeaders(lender: self, record: record, loan: loan))
    }

    /// The records lent so far are about to be let go: their headers may no longer be read.
    package func endLoans() { loan &+= 1 }

    fileprivate func headers(of lent: LentHeaders) -> [RecordHeaders.Header] {
        check(lent)
        return read(lent.record)
    }

    fileprivate func headerCount(of lent: LentHeaders) -> Int {
        check(lent)
        return count(lent.record)
    }

    fileprivate func check(_ lent: LentHeaders) {
        precondition(
            lent.loan == loan,
            "the headers of a consumed record were read after the record was let go; keep RecordHeaders.owned to hold them longer")
    }
}

/// The headers of a record a `HeaderLender` holds: read from the record when asked for.
package struct LentHeaders: @unchecked Sendable {
    // @unchecked: lent headers are read on the thread whose consumer lent them, while the loan
    // lasts (checked at every read); nothing sends them to another thread.
    // unowned(unsafe): the lender outlives every loan it makes, and a per-record reference count
    // would cost what laziness saves.
    unowned(unsafe) let lender: HeaderLender
    /// The record, in its lender's native form (e.g. an `rd_kafka_message_t`).
    package let record: UnsafeRawPointer
    let loan: UInt32

    package var origin: ObjectIdentifier { lender.origin }
    var elements: [RecordHeaders.Header] { lender.headers(of: self) }
    var count: Int { lender.headerCount(of: self) }
    /// Traps unless the loan still lasts: for a reader of the record's native form (`origin`),
    /// which reads it without the lender.
    package func checkLoan() { lender.check(self) }
}
