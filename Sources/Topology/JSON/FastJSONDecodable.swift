/// A `Decodable` type that can also read itself straight off ``FastJSONDecoder``'s tape.
///
/// `Codable` reaches every member through boxed containers, existential calls and generic
/// metadata lookups; for a small event that machinery costs more than scanning the JSON.
/// A type on a hot path can skip it by reading its members from a ``JSONObjectView`` by key, as
/// hand-written decoders do in Rust's serde or simdjson. ``JSONSerde`` and
/// ``FastJSONDecoder/decode(_:from:)-(_,UnsafeRawBufferPointer)`` use this initializer when the
/// type has it; everything else (Foundation, other decoders) still uses `init(from:)`.
///
/// ```swift
/// extension Bid: FastJSONDecodable {
///     init(json: JSONView) throws(JSONError) {
///         let object = try json.object()
///         self.init(auction: try object["auction"].int64(), price: try object["price"].int64(),
///                   channel: try object["channel"].string())
///     }
/// }
/// ```
///
/// - Important: `init(json:)` must accept what `init(from:)` accepts and produce the same value;
///   test the two against each other. The ``JSONView`` is valid only during the call.
public protocol FastJSONDecodable: Decodable {
    /// Reads the value from `json`, throwing ``JSONError`` (with ``JSONView``'s helpers, which
    /// report the byte offset and the key) for anything it cannot read.
    init(json: JSONView) throws(JSONError)
}
