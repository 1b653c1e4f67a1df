/// The headers of a Kafka record: ordered, names may repeat, values may be null.
///
/// Empty headers hold no storage, and a consumed record's headers stay in the record until
/// something asks for them (`HeaderLender`), so the common cases cost nothing per record.
public struct RecordHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: [UInt8]?
        public init(name: String, value: [UInt8]?) {
            self.name = name
            self.value = value
        }
    }

    /// Headers of its own, or still in a consumed record and read from it when asked for
    /// (`HeaderLender`): most records' headers are never asked for.
    private enum Storage {
        case owned([Header])
        case lent(LentHeaders)
    }

    private var storage: Storage

    public init() { storage = .owned([]) }
    public init(_ elements: [Header]) { storage = .owned(elements) }
    public init(dictionaryLiteral pairs: (String, String)...) {
        storage = .owned(pairs.map { Header(name: $0.0, value: Array($0.1.utf8)) })
    }
    package init(lent: LentHeaders) { storage = .lent(lent) }

    /// The headers, in order (read from their record if lent).
    public var elements: [Header] {
        switch storage {
        case .owned(let elements): elements
        case .lent(let lent): lent.elements
        }
    }

    public var isEmpty: Bool { count == 0 }

    public var count: Int {
        switch storage {
        case .owned(let elements): elements.count
        case .lent(let lent): lent.count
        }
    }

    /// The same headers, held by this value itself: for keeping beyond the processing of the
    /// record they came with, since lent headers can be read only until then.
    public var owned: RecordHeaders { RecordHeaders(elements) }

    /// The record these headers are still in, when they are lent.
    package var lent: LentHeaders? {
        if case .lent(let lent) = storage { return lent }
        return nil
    }

    public mutating func append(_ name: String, _ value: [UInt8]?) {
        var elements = elements
        storage = .owned([])  // no second reference: the append below does not copy
        elements.append(Header(name: name, value: value))
        storage = .owned(elements)
    }

    public mutating func append(_ name: String, _ value: String) {
        append(name, Array(value.utf8))
    }

    /// The value of the last header named `name` (Kafka's `lastHeader`).
    public subscript(name: String) -> [UInt8]? {
        elements.last { $0.name == name }?.value
    }

    /// The last header named `name`, decoded as UTF-8.
    public func string(_ name: String) -> String? {
        self[name].map { String(decoding: $0, as: UTF8.self) }
    }

    public func makeIterator() -> IndexingIterator<[Header]> { elements.makeIterator() }

    public static func == (a: RecordHeaders, b: RecordHeaders) -> Bool { a.elements == b.elements }
    public func hash(into hasher: inout Hasher) { hasher.combine(elements) }
}

extension RecordHeaders: CustomStringConvertible {
    /// Names and values (as UTF-8, or `null`), in order.
    public var description: String {
        "[" + elements.map { "\($0.name): \($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")" }.joined(separator: ", ") + "]"
    }
}
