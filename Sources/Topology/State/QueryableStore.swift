import Foundation

/// A store that interactive queries can read: its name, the sub-topology whose tasks own it, its
/// layout, and how its keys and values turn into text (`StoreQueryCodec`).
///
/// The plan lists every key-value, window and session store here (`TopologyPlan.queryableStores`);
/// suppression buffers are internal and are not queryable.
public struct QueryableStore: Sendable {
    /// How the store keeps its entries, which decides the queries it answers.
    public enum Layout: Sendable, Hashable, CustomStringConvertible {
        /// One value per key: point lookups, key ranges and prefixes.
        case keyValue
        /// Values per key and window start; each window is `[start, start + size)` (sliding windows:
        /// `[start, start + size]`).
        case window(size: Int64)
        /// Values per key and session `[start, end]`.
        case session

        public var description: String {
            switch self {
            case .keyValue: "key-value"
            case .window: "window"
            case .session: "session"
            }
        }
    }

    public let name: String
    /// The sub-topology whose tasks hold the store, one task per partition of its input.
    public let subtopology: Int
    public let layout: Layout
    public let codec: StoreQueryCodec

    public init(name: String, subtopology: Int, layout: Layout, codec: StoreQueryCodec) {
        self.name = name
        self.subtopology = subtopology
        self.layout = layout
        self.codec = codec
    }
}

/// How interactive queries read a store's keys from text and write its keys and values as JSON,
/// through the store's own serdes.
///
/// Keys in a URL (`keyBytes(fromText:)`), by the key type:
/// - `String`: the text as it is;
/// - `Int64`: a decimal integer (`-12`, `42`);
/// - `[UInt8]`: base64, standard or URL-safe, padding optional;
/// - any other type: the text is the key's serialized form, which the key serde reads (a JSON key
///   is written as JSON: `{"id":1}`); the serde then writes the key again, so the bytes looked up
///   are the bytes the topology stored.
///
/// Keys and values in answers (`json(key:)`, `json(value:)`), decoded with the store's serdes:
/// `Encodable` values as JSON (numbers as numbers, strings as strings, `Codable` types as objects),
/// `[UInt8]` as a base64 string, anything else as the string of its `description`.
public struct StoreQueryCodec: Sendable {
    /// What a key looks like in a URL: `string`, `int64`, `base64`, or `text read by the key serde`.
    public let keyFormat: String
    /// The key's Swift type, for messages.
    public let keyType: String
    /// The value's Swift type, for messages.
    public let valueType: String
    private let parse: @Sendable (String) throws -> [UInt8]
    private let renderKey: @Sendable (UnsafeRawBufferPointer) throws -> String
    private let renderValue: @Sendable (UnsafeRawBufferPointer) throws -> String

    public init<K, V>(key: any Serde<K>, value: any Serde<V>) {
        keyType = "\(K.self)"
        valueType = "\(V.self)"
        keyFormat =
            switch K.self {
            case is String.Type: "string"
            case is Int64.Type: "int64"
            case is [UInt8].Type: "base64"
            default: "text read by the key serde"
            }
        parse = { text in
            let typed: K = try QueryText.key(text, serde: key)
            var bytes: [UInt8] = []
            guard try key.serialize(typed, into: &bytes) else { throw SerdeError("the key serde wrote \"\(text)\" as null") }
            return bytes
        }
        renderKey = { bytes in try QueryText.json(key.deserialize(bytes)) }
        renderValue = { bytes in try QueryText.json(value.deserialize(bytes)) }
    }

    /// The store key bytes of a key written as text in a URL.
    /// - Throws: `SerdeError` saying why the text is no key of this store.
    public func keyBytes(fromText text: String) throws(SerdeError) -> [UInt8] {
        do {
            return try parse(text)
        } catch let error as SerdeError {
            throw error
        } catch {
            throw SerdeError("the key serde cannot read \"\(text)\" as \(keyType): \(error)")
        }
    }

    /// A stored key as JSON. - Throws: what the key serde throws.
    public func json(key bytes: UnsafeRawBufferPointer) throws -> String { try renderKey(bytes) }

    /// A stored value as JSON. - Throws: what the value serde throws.
    public func json(value bytes: UnsafeRawBufferPointer) throws -> String { try renderValue(bytes) }
}

/// Text and JSON forms of keys and values, for interactive queries.
enum QueryText {
    static func key<K>(_ text: String, serde: any Serde<K>) throws -> K {
        switch K.self {
        case is String.Type:
            return text as! K
        case is Int64.Type:
            guard let n = Int64(text) else { throw SerdeError("\"\(text)\" is not an int64 (a decimal integer)") }
            return n as! K
        case is [UInt8].Type:
            guard let bytes = base64Decode(text) else { throw SerdeError("\"\(text)\" is not base64") }
            return bytes as! K
        default:
            return try Array(text.utf8).withUnsafeBytes { try serde.deserialize($0) }
        }
    }

    static func json<V>(_ value: V) throws -> String {
        switch value {
        case let bytes as [UInt8]:
            return QueryJSON.string(Data(bytes).base64EncodedString())
        case let encodable as any Encodable:
            return try QueryJSON.encode(encodable)
        default:
            return QueryJSON.string(String(describing: value))
        }
    }

    /// Standard or URL-safe base64, with or without padding.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s.append("=") }
        return Data(base64Encoded: s).map(Array.init)
    }
}

/// Small JSON texts for interactive-query answers: values rendered by a `StoreQueryCodec` are
/// embedded as they are, so a number stays a number.
public enum QueryJSON {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        // Encoding a string cannot fail; the fallback only satisfies the type checker.
        (try? encode(text)) ?? "\"\""
    }

    /// `{"name": value, ...}` from fields whose values are JSON texts already, in the given order.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { name, value in string(name) + ":" + value }.joined(separator: ",") + "}"
    }

    /// `[a, b, ...]` from JSON texts.
    public static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCodecs.Slot.shared.withCurrent { try $0.encoder.encode(value) }, as: UTF8.self)
    }
}
