/// An `Encodable` type that can also write its JSON straight into ``FastJSONEncoder``'s output,
/// the mirror of ``FastJSONDecodable``.
///
/// `Codable` builds each object through boxed containers and a tree of nodes before writing it;
/// a result row written once per record is cheaper written in one pass. ``JSONSerde`` and
/// ``FastJSONEncoder/encode(_:into:)-(FastJSONEncodable,_)`` use this method when the type has it.
///
/// ```swift
/// extension Summary: FastJSONEncodable {
///     func encode(json: inout JSONOutput) throws(JSONError) {
///         try json.object { object throws(JSONError) in
///             object.field("user", user)
///             try object.field("cents", cents)
///         }
///     }
/// }
/// ```
///
/// - Important: Write what `encode(to:)` writes through ``FastJSONEncoder``, byte for byte
///   (members in the same order, `nil` optionals left out as synthesized `Codable` does), and
///   test the two against each other.
public protocol FastJSONEncodable: Encodable {
    /// Writes exactly one JSON value to `json`.
    func encode(json: inout JSONOutput) throws(JSONError)
}
