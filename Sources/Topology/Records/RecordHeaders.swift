/// The headers of a Kafka record: ordered, names may repeat, values may be null.
///
/// Empty headers hold no storage, so the common case costs nothing per record.
public struct RecordHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: [UInt8]?
        public init(name: String, value: [UInt8]?) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var elements: [Header]

    public init() { elements = [] }
    public init(_ elements: [Header]) { self.elements = elements }
    public init(dictionaryLiteral pairs: (String, String)...) {
        elements = pairs.map { Header(name: $0.0, value: Array($0.1.utf8)) }
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }

    public mutating func append(_ name: String, _ value: [UInt8]?) {
        elements.append(Header(name: name, value: value))
    }

    public mutating func append(_ name: String, _ value: String) {
        elements.append(Header(name: name, value: Array(value.utf8)))
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
}
