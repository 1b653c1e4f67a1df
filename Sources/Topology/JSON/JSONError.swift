/// A failure to decode or encode JSON.
///
/// The error says *where* (a byte offset and the coding path) and *what kind* of problem
/// occurred, but never *what* the input contained: records may hold personal data, and
/// errors end up in logs. Key names from the coding path are kept because they come from
/// the schema (for `[String: T]` dictionaries they do come from the input; that is accepted).
public struct JSONError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. An extensible set of values: switch with a `default` branch.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Backing: String, Sendable, Hashable {
            case syntax, nestingTooDeep, inputTooLarge, typeMismatch, keyNotFound, valueNotFound
            case numberOutOfRange, dataCorrupted, invalidValue, underlying
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The input is not valid JSON (RFC 8259).
        public static let syntax = Code(.syntax)
        /// Containers are nested deeper than ``FastJSONDecoder/maximumDepth``.
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// The input is larger than the decoder can address (4 GiB).
        public static let inputTooLarge = Code(.inputTooLarge)
        /// The JSON value has a different type than the Swift type asked for.
        public static let typeMismatch = Code(.typeMismatch)
        /// A keyed container has no value for a required key.
        public static let keyNotFound = Code(.keyNotFound)
        /// A non-optional value was `null` (or an unkeyed container was exhausted).
        public static let valueNotFound = Code(.valueNotFound)
        /// A number does not fit the Swift type asked for.
        public static let numberOutOfRange = Code(.numberOutOfRange)
        /// A value has the right JSON type but cannot be converted (bad Base64, URL, UUID…).
        public static let dataCorrupted = Code(.dataCorrupted)
        /// A value cannot be encoded (a non-finite floating-point number, an empty top level…).
        public static let invalidValue = Code(.invalidValue)
        /// A type's own `init(from:)` or `encode(to:)` threw an error; see ``JSONError/underlying``.
        public static let underlying = Code(.underlying)

        public var description: String { backing.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset into the input where the problem was found; `nil` for encoding errors.
    public var offset: Int?
    /// The keys and indices leading to the failing value, e.g. `session.id` or `items[3]`.
    public var codingPath: String
    /// A fixed explanation built only from type and key names, never from input content.
    public var reason: String
    /// The error a user type threw from its own `init(from:)` / `encode(to:)`, if any.
    public var underlying: (any Error)?

    /// Creates an error; `reason` must not contain input content.
    public init(code: Code, offset: Int?, codingPath: String = "", reason: String, underlying: (any Error)? = nil) {
        self.code = code
        self.offset = offset
        self.codingPath = codingPath
        self.reason = reason
        self.underlying = underlying
    }

    /// A log-safe summary: code, offset, coding path and reason; never the payload.
    public var description: String {
        var text = "JSONError.\(code)"
        if let offset { text += " at byte \(offset)" }
        if !codingPath.isEmpty { text += " (path: \(codingPath))" }
        text += ": " + reason
        // The underlying error's own description may quote the payload, so name only its type.
        if let underlying { text += " [\(type(of: underlying))]" }
        return text
    }
}

extension JSONError {
    /// The same error reported at another coding path.
    func at(_ codingPath: String) -> JSONError {
        var copy = self
        copy.codingPath = codingPath
        return copy
    }

    /// Renders a coding path the way Foundation's errors do: `a.b[2].c`.
    static func render(_ path: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        var text = ""
        func add(_ key: any CodingKey) {
            if let index = key.intValue, key is JSONIndexKey {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        path.forEach(add)
        if let key { add(key) }
        return text
    }
}

/// The coding key of an element of an unkeyed container, as Foundation spells it ("Index 3").
struct JSONIndexKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

/// A key made from a string, for `superDecoder()`/`superEncoder()` ("super") and error paths.
struct JSONStringKey: CodingKey {
    let stringValue: String
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue) }
    var intValue: Int? { nil }
}

extension JSONError {
    /// Two coding-path parts joined with a dot (or `[`, which needs none), either possibly empty.
    static func join(_ outer: String, _ inner: String) -> String {
        if outer.isEmpty { return inner }
        if inner.isEmpty { return outer }
        return inner.hasPrefix("[") ? outer + inner : outer + "." + inner
    }
}
